package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.flink.storage.StorageFiles;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.scoring.ArtifactRoots;
import org.lmrec.stream.scoring.ModelLimits;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import picocli.CommandLine;

/**
 * {@code lmrec-retrain run} with the archive and the artifact store on s3:// (a real S3 API server,
 * the settings from {@code --flink-conf-dir}): the archive is read from S3, the published version is
 * uploaded before it is announced, the announcement points at its s3:// copy, which the scorer's
 * loader accepts under an s3:// artifact root, and SERVING.json is pushed. A rollback from an empty
 * cache (a fresh CronJob pod) pulls the store, announces the version's s3:// copy and records it as
 * serving on the store. (Pulling into an empty cache and mirroring deletions: RemoteArtifactStoreTest.)
 */
@Timeout(120)
class S3RetrainCliITCase {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("lake");
  static final String MODELS = "model-updates";
  static final Instant END = Instant.parse("2026-03-10T00:00:00Z");
  @TempDir static Path dir;
  static InProcessKafka kafka;
  static Path conf;

  @BeforeAll
  static void setUp() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
    kafka.createTopic(MODELS, 1, true);
    Dataset data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(120).withItems(200).withSequenceLength(9, 3).withSeed(5));
    Path local = dir.resolve("archive");
    Instant start = END.minus(Duration.ofDays(2));
    ArchiveWriter.write(data, local, 2, (u, i, length) -> start.plusSeconds(60L * u + i)); // all in one day, in order
    StorageFiles.upload(local, new org.apache.flink.core.fs.Path(S3.uri("archive")), null);
    conf = Files.createDirectories(dir.resolve("conf"));
    StringBuilder yaml = new StringBuilder();
    S3.s3Settings().forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(conf.resolve("config.yaml"), yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  private static int run(Path cache, StringWriter out) {
    CommandLine cli = RetrainCli.commandLine();
    cli.setErr(new PrintWriter(out, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute("run", "--archive", S3.uri("archive"), "--artifacts", S3.uri("artifacts"),
        "--artifacts-cache", cache.toString(), "--flink-conf-dir", conf.toString(), "--window", "7d", "--window-end", END.toString(),
        "--enhancer", "none", "--work-dir", "none", "--dim", "16", "--blocks", "1", "--max-len", "10", "--epochs", "2",
        "--validation-users", "50", "--parallelism", "1", "--bootstrap-servers", kafka.bootstrapServers(),
        "--model-updates-topic", MODELS, "--unsigned");
  }

  @Test
  void retrainsFromAnS3ArchiveIntoAnS3StoreAndAnnouncesTheS3Copy() throws Exception {
    StringWriter out = new StringWriter();
    assertThat(run(dir.resolve("cache-1"), out)).as(out.toString()).isZero();

    List<ConsumerRecord<byte[], byte[]>> sent = kafka.readUntil(MODELS, Duration.ofSeconds(30), all -> !all.isEmpty());
    ModelUpdate v1 = AvroCodec.of(ModelUpdate.class).decode(sent.get(0).value());
    assertThat(v1.getArtifactUri()).isEqualTo(S3.uri("artifacts/" + v1.getModelVersion()));
    assertThat(S3.keys("artifacts/" + v1.getModelVersion() + "/")).contains("artifacts/" + v1.getModelVersion() + "/manifest.json");
    ModelRegistry.Serving serving = new ObjectMapper().readValue(S3.read("artifacts/" + ModelRegistry.SERVING_FILE), ModelRegistry.Serving.class);
    assertThat(serving.version()).isEqualTo(v1.getModelVersion());
    assertThat(serving.manifestSha256()).isEqualTo(v1.getManifestSha256());

    // What a scorer does with the announcement: load the s3:// copy under an s3:// artifact root.
    ModelPointer pointer = new ModelPointer(v1.getModelVersion(), v1.getArtifactUri(), v1.getManifestSha256(), 1);
    ServingModel model = ModelLoader.load(pointer, new ModelLimits(ArtifactRoots.ofUris(List.of(S3.uri("artifacts"))), 4, 1L << 30));
    assertThat(model.version()).isEqualTo(v1.getModelVersion());

    // A rollback from an empty cache (a fresh pod): the store is pulled, the rollback is signed, points at the
    // s3:// copy, and SERVING.json on the store names it.
    Path keys = dir.resolve("keys");
    assertThat(RetrainCli.commandLine().execute("keygen", keys.toString(), "--key-id", "publisher")).isZero();
    assertThat(RetrainCli.commandLine().execute("rollback", v1.getModelVersion(), "--artifacts", S3.uri("artifacts"),
        "--artifacts-cache", dir.resolve("cache-2").toString(), "--flink-conf-dir", conf.toString(),
        "--signing-key", keys.resolve("publisher.key").toString(), "--bootstrap-servers", kafka.bootstrapServers(),
        "--model-updates-topic", MODELS)).isZero();
    List<ConsumerRecord<byte[], byte[]>> withRollback = kafka.readToEnd(MODELS, "read_committed", Duration.ofSeconds(30), r -> r.size() > sent.size());
    ModelUpdate rollback = AvroCodec.of(ModelUpdate.class).decode(withRollback.get(withRollback.size() - 1).value());
    assertThat(rollback.getRollback()).isTrue();
    assertThat(rollback.getArtifactUri()).isEqualTo(S3.uri("artifacts/" + v1.getModelVersion()));
    assertThat(new ObjectMapper().readValue(S3.read("artifacts/" + ModelRegistry.SERVING_FILE), ModelRegistry.Serving.class).version())
        .isEqualTo(v1.getModelVersion());
  }
}
