package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.TestModels;
import org.lmrec.flink.announce.AnnouncementVerifier;
import picocli.CommandLine;

/** {@code lmrec-retrain keygen}, {@code rollback} and {@code --signing-key} against a real broker and real files. */
class RetrainCliSigningTest {
  static final String MODELS = "model-updates";
  @TempDir static Path dir;
  static InProcessKafka kafka;
  final StringWriter err = new StringWriter();

  @BeforeAll
  static void broker() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
    kafka.createTopic(MODELS, 1, true);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  private int run(String... args) {
    CommandLine cli = RetrainCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void keygenWritesAPairWhosePrivateHalfOnlyItsOwnerCanReadAndNeverOverwritesIt() throws Exception {
    Path keys = dir.resolve("keygen");
    assertThat(run("keygen", keys.toString(), "--key-id", "prod-2026")).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("prod-2026.key")))).isEqualTo("rw-------");
    assertThat(Files.readString(keys.resolve("prod-2026.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(AnnouncementVerifier.fromFiles(List.of(keys), true).toString()).contains("[prod-2026]");

    String before = Files.readString(keys.resolve("prod-2026.key"));
    assertThat(run("keygen", keys.toString(), "--key-id", "prod-2026")).isEqualTo(1);
    assertThat(err.toString()).contains("never overwritten");
    assertThat(Files.readString(keys.resolve("prod-2026.key"))).isEqualTo(before);
  }

  @Test
  void rollbackAnnouncesASignedRollbackOfAPublishedVersionThatTheScorerAcceptsAndMarksItServing() throws Exception {
    Path artifacts = dir.resolve("artifacts");
    ModelArtifact v1 = TestModels.write(artifacts, "v1", ModelKind.SASREC, 20, 1);
    ModelArtifact v2 = TestModels.write(artifacts, "v2", ModelKind.SASREC, 20, 2);
    ModelRegistry registry = new ModelRegistry(artifacts, "sasrec");
    registry.markServing(v2, v2.manifest().createdAtInstant());
    Path keys = dir.resolve("publisher");
    assertThat(run("keygen", keys.toString(), "--key-id", "publisher")).isZero();
    String[] common = {"--artifacts", artifacts.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--model-updates-topic", MODELS};

    // Refused before anything is sent: no key, --unsigned, a version that is not published.
    assertThat(run(concat(new String[] {"rollback", "v1"}, common))).isEqualTo(1);
    assertThat(err.toString()).contains("--signing-key FILE is required");
    assertThat(run(concat(new String[] {"rollback", "v1", "--unsigned"}, common))).isEqualTo(1);
    assertThat(err.toString()).contains("a rollback must be signed");
    assertThat(run(concat(new String[] {"rollback", "v0", "--signing-key", keys.resolve("publisher.key").toString()}, common))).isEqualTo(1);
    assertThat(err.toString()).contains("version v0 is not published").contains("[v1, v2]");

    assertThat(run(concat(new String[] {"rollback", "v1", "--signing-key", keys.resolve("publisher.key").toString()}, common))).isZero();

    List<ConsumerRecord<byte[], byte[]>> sent = kafka.readUntil(MODELS, Duration.ofSeconds(60), all -> !all.isEmpty());
    assertThat(sent).hasSize(1);
    ModelUpdate rollback = AvroCodec.of(ModelUpdate.class).decode(sent.get(0).value());
    assertThat(rollback.getRollback()).isTrue();
    assertThat(rollback.getModelVersion()).isEqualTo("v1");
    assertThat(rollback.getManifestSha256()).isEqualTo(v1.manifestSha256());
    assertThat(rollback.getKeyId()).isEqualTo("publisher");
    assertThat(rollback.getCreatedAt()).as("announced now, after the version it replaces").isAfter(v2.manifest().createdAtInstant());
    assertThat(new String(sent.get(0).key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("sasrec");
    assertThat(AnnouncementVerifier.fromFiles(List.of(keys.resolve("publisher.pub")), true).refusal(rollback)).isEmpty();
    assertThat(registry.serving()).map(ModelArtifact::version).hasValue("v1");
  }

  @Test
  void aRetrainingWithoutASigningKeyRefusesToStartBeforeTraining() {
    // Everything the run would write stays in the test's folder, should it get that far.
    String[] paths = {"--archive", dir.resolve("no-archive").toString(), "--artifacts", dir.resolve("run-artifacts").toString(),
        "--work-dir", dir.resolve("run-work").toString()};
    assertThat(run(concat(concat(new String[] {"run"}, paths), new String[] {"--bootstrap-servers", kafka.bootstrapServers()}))).isEqualTo(1);
    assertThat(err.toString()).contains("--signing-key FILE is required").contains("lmrec-retrain keygen");
    assertThat(run(concat(concat(new String[] {"run"}, paths),
        new String[] {"--bootstrap-servers", kafka.bootstrapServers(), "--signing-key", dir.resolve("missing.key").toString()}))).isEqualTo(1);
    assertThat(err.toString()).contains("missing.key");
    assertThat(dir.resolve("run-artifacts")).doesNotExist();
    assertThat(dir.resolve("run-work")).doesNotExist();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
