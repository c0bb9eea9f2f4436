package org.lmrec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.stream.replay.ReplayJob;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.stream.replay.ModelRouting;

/**
 * Replay throughput: events per second through {@link ReplayJob} (Flink BATCH on a local
 * MiniCluster: archive files → replay order → the streaming job's sequence state and scorer →
 * outcome join → report), with one model and with three side by side, on each dataset written as
 * archive files. The models are seeded untrained SASRec networks of the shape given (d, maxLen, the
 * default blocks and heads): the replay's cost does not depend on how well a model was trained. The
 * one-model run is the baseline the three-model run is compared with in the same invocation.
 *
 * <p>Usage: {@code ReplayBenchmark [datasets=synthetic1m,office] [dim=64] [maxLen=50] [topK=20]
 * [batch=256] [parallelism=2] [workDir=runs/bench/replay]}. synthetic1m: 100,000 users, 20,000
 * items, about 1,000,000 interactions; office and the other {@link BenchmarkDatasets} are skipped
 * when ../shared/data lacks them.
 */
public final class ReplayBenchmark {
  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int parallelism = a.getInt("parallelism", 2);
    EngineSettings.configure(parallelism);
    Path work = Path.of(a.get("workDir", "runs/bench/replay"));
    List<String> lines = new ArrayList<>();
    for (String name : a.get("datasets", "synthetic1m,office").split(",")) {
      Optional<Dataset> loaded = RetrainBenchmark.load(name.strip());
      if (loaded.isEmpty()) continue;
      lines.addAll(benchmark(name.strip(), loaded.get(), a, work.resolve(name.strip()), parallelism));
    }
    System.out.println();
    System.out.println("== replay throughput");
    lines.forEach(System.out::println);
  }

  private static List<String> benchmark(String name, Dataset data, Args a, Path dir, int parallelism) throws Exception {
    RetrainBenchmark.deleteRecursively(dir);
    Files.createDirectories(dir);
    System.out.println("== " + data.summary());
    List<org.apache.flink.core.fs.Path> files =
        ReplayJob.flinkPaths(ArchiveWriter.write(data, dir.resolve("archive"), parallelism, Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(1)));
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(a.getInt("dim", 64)).withMaxLen(a.getInt("maxLen", 50));
    List<ModelPointer> models = new ArrayList<>();
    for (int i = 1; i <= 3; i++) models.add(ReplayJob.pointer(untrained(dir.resolve("artifacts"), "bench-v" + i, cfg.withSeed(i), data).dir(), 0));
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", String.valueOf(parallelism));
    int topK = a.getInt("topK", 20);
    ReplayJob.Options options = new ReplayJob.Options(topK, a.getInt("maxLen", 50), a.getInt("batch", 256), new int[] {5, 10, Math.max(10, topK)},
        Duration.ofDays(1), "replay benchmark " + name);
    ReplayJob job = new ReplayJob(options, flink);

    ReplayJob.Result one = job.run(files, ModelRouting.SIDE_BY_SIDE, models.subList(0, 1));
    System.out.printf("%s one model: %d events in %.1f s%n", name, one.events(), one.seconds());
    ReplayJob.Result three = job.run(files, ModelRouting.SIDE_BY_SIDE, models);
    System.out.printf("%s three models: %d events in %.1f s%n", name, three.events(), three.seconds());
    three.report().writeTo(dir.resolve("report"));
    return List.of(
        String.format("%s (%,d events, %,d items, parallelism %d, top-%d, d %d): one model %,.0f events/s (%.1f s); three side by side %,.0f events/s (%.1f s); "
            + "three / one time %.2f", name, one.events(), data.numItems(), parallelism, topK, cfg.dim(),
            one.eventsPerSecond(), one.seconds(), three.eventsPerSecond(), three.seconds(), three.seconds() / one.seconds()));
  }

  private static ModelArtifact untrained(Path root, String version, ModelConfig cfg, Dataset data) {
    return UntrainedModels.write(root, version, cfg, data.itemIds(),
        new TrainingDataInfo("untrained benchmark model", data.numUsers(), data.numItems(), data.numInteractions(), null, null, "benchmark"));
  }
}
