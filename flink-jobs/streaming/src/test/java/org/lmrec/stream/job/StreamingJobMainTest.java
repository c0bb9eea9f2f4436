package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.stream.StreamingOptions;

/** The settings a cluster submission sees from the Flink client's config.yaml. */
class StreamingJobMainTest {
  @TempDir Path conf;

  @Test
  void takesOnlyTheLmrecKeysOfTheClientsConfig() throws Exception {
    Files.writeString(conf.resolve("config.yaml"), String.join("\n",
        "lmrec.kafka.bootstrap-servers: broker-1:9093",
        "lmrec:",
        "  topic:",
        "    recommendations: recs.v2",
        "execution.checkpointing.dir: s3://cluster/checkpoints",
        "rest.port: 8081", ""));

    Configuration c = StreamingJobMain.clientSettings(conf.toString());

    assertThat(c.get(StreamingOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker-1:9093");
    assertThat(c.get(StreamingOptions.RECOMMENDATIONS_TOPIC)).isEqualTo("recs.v2");
    assertThat(c.keySet()).allMatch(k -> k.startsWith("lmrec."));
  }

  @Test
  void noClientConfigMeansNoSettings() {
    assertThat(StreamingJobMain.clientSettings(null).keySet()).isEmpty();
    assertThat(StreamingJobMain.clientSettings(conf.toString()).keySet()).isEmpty();
  }

  @Test
  void topKSearchIsExactByDefaultAndHnswWithItsParametersWhenAskedFor() {
    assertThat(StreamingJob.topKSearch(new Configuration()).approximate()).isFalse();
    Configuration c = new Configuration();
    c.setString("lmrec.scoring.top-k-search", "hnsw");
    c.setString("lmrec.scoring.hnsw.ef-search", "40");
    org.lmrec.serving.TopKSearch search = StreamingJob.topKSearch(c);
    assertThat(search.approximate()).isTrue();
    assertThat(search.hnsw()).isEqualTo(new org.lmrec.serving.HnswItemIndex.Params(16, 100, 40, 42));
    c.setString("lmrec.scoring.hnsw.m", "1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamingJob.topKSearch(c)).hasMessageContaining("maxConn (M) must be in [2, 512], got 1");
  }
}
