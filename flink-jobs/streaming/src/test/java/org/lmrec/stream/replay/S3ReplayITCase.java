package org.lmrec.stream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactLayout;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.flink.storage.StorageFiles;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import picocli.CommandLine;

/** {@code lmrec-replay --archive s3://… --model s3://…}: the log and the model read from a real S3 API server. */
@Timeout(120)
class S3ReplayITCase {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("lake");
  static final Instant DAY = Instant.parse("2026-02-01T00:00:00Z");
  @TempDir Path dir;

  @Test
  void replaysAnS3ArchiveWithAnS3Model() throws Exception {
    Dataset data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(60).withItems(120).withSequenceLength(8, 2).withSeed(3));
    ArchiveWriter.write(data, dir.resolve("archive"), 2, (u, i, length) -> DAY.plusSeconds(60L * u + i));
    StorageFiles.upload(dir.resolve("archive"), new org.apache.flink.core.fs.Path(S3.uri("archive")), null);
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withBlocks(1).withHeads(1).withMaxLen(10).withSeed(1);
    ModelArtifact v1;
    try (SequentialModel m = SequentialModels.create(cfg, data.numItems(), null)) {
      v1 = ArtifactWriter.write(dir.resolve("artifacts"), "v-s3", cfg.kind().id(), cfg.toMap(), m.exportWeights(), data.itemIds(),
          new TrainingDataInfo("s3 replay test", data.numUsers(), data.numItems(), data.numInteractions(), null, null, "test"), Map.of(), Map.of());
    }
    StorageFiles.upload(v1.dir(), new org.apache.flink.core.fs.Path(S3.uri("models/v-s3")), ArtifactLayout.MANIFEST);
    Path conf = Files.createDirectories(dir.resolve("conf"));
    StringBuilder yaml = new StringBuilder();
    S3.s3Settings().forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(conf.resolve("config.yaml"), yaml);

    StringWriter err = new StringWriter();
    CommandLine cli = ReplayCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("--archive", S3.uri("archive"), "--window", "2d", "--window-end", DAY.plusSeconds(86_400).toString(),
        "--model", S3.uri("models/v-s3"), "--flink-conf-dir", conf.toString(), "--out", dir.resolve("out").toString(), "--parallelism", "1");
    assertThat(code).as(err.toString()).isZero();
    try (Stream<Path> out = Files.list(dir.resolve("out"))) {
      Path json = out.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      String report = Files.readString(json);
      assertThat(report).contains("v-s3").contains(S3.uri("archive"));
    }
  }
}
