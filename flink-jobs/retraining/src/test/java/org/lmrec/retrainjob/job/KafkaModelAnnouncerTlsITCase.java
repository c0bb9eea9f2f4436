package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.TestTls;
import org.lmrec.flink.kafka.KafkaClientProperties;
import picocli.CommandLine;

/** The retraining's announcer against a broker that speaks mutual TLS only, configured the way {@code lmrec-retrain} is. */
class KafkaModelAnnouncerTlsITCase {
  @TempDir Path dir;

  @Test
  void announcesOverMutualTlsWithTheSettingsOfTheCommandLine() throws Exception {
    TestTls tls = TestTls.generate(dir.resolve("tls"));
    try (InProcessKafka kafka = new InProcessKafka(dir.resolve("kafka"), tls)) {
      kafka.createTopic("model-updates", 1, true);
      ModelArtifact v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, 20, 1);
      RetrainOptions options = new RetrainOptions();
      List<String> args = new java.util.ArrayList<>(List.of("--archive", dir.resolve("archive").toString(), "--bootstrap-servers", kafka.bootstrapServers()));
      tls.clientProperties().forEach((key, value) -> args.addAll(List.of("--kafka-property", key + "=" + value)));
      new CommandLine(options).parseArgs(args.toArray(String[]::new));
      KafkaClientProperties client = options.kafkaClientProperties();

      try (KafkaModelAnnouncer announcer = new KafkaModelAnnouncer(options.bootstrapServers, "model-updates", null, client)) {
        announcer.announce(v1);
      }

      ConsumerRecord<byte[], byte[]> announced = kafka.readUntil("model-updates", Duration.ofSeconds(60), all -> !all.isEmpty()).get(0);
      assertThat(new String(announced.key(), StandardCharsets.UTF_8)).isEqualTo("sasrec");
      assertThat(AvroCodec.of(ModelUpdate.class).decode(announced.value()).getModelVersion()).isEqualTo("v1");
    }
  }
}
