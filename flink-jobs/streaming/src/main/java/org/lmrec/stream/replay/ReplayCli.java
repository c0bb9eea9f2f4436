package org.lmrec.stream.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.lmrec.artifact.ArtifactStore;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetLoader;
import org.lmrec.flink.archive.ArchiveFiles;
import org.lmrec.flink.archive.ArchiveWindow;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lmrec-replay}: replays a log through the streaming job's operators and writes the report. */
@Command(
    name = "lmrec-replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replays an interaction log (the streaming job's archive, or a dataset file) in event-time order through the",
      "streaming job's own state and scoring operators (a bounded Flink job in BATCH mode) and reports HR/NDCG/MRR@K",
      "overall, per time window and per item-popularity group, with catalogue coverage, per model:",
      "replay-report.json, replay-report.md and PNG charts in --out.",
      "Either --as-served REGISTRY (each event scored by the version serving at its event time) or --model DIR ...",
      "(every model scores every event, side by side)."
    })
public final class ReplayCli implements Callable<Integer> {
  static final class Input {
    @Option(names = "--archive", required = true, description = "Archive base URI or folder (date=YYYY-MM-DD/interactions-*.avro).")
    String archive;

    @Option(names = "--dataset", required = true, description = "A dataset file in any supported format (RecBole .inter, SASRec .txt, Amazon JSON, MovieLens).")
    Path dataset;
  }

  static final class Models {
    @Option(names = "--as-served", required = true,
        description = "A model store (the retraining's --artifacts folder): each published version serves from its manifest's creation time.")
    Path registry;

    @Option(names = "--model", required = true, arity = "1..*", paramLabel = "DIR|URI",
        description = "Artifact folders (or s3://BUCKET/... artifact URIs) to compare side by side.")
    List<String> artifacts;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Models models;

  @Option(names = "--window", description = "Archive only: how much event time to replay, ending at --window-end (default: ${DEFAULT-VALUE}).")
  String window = "30d";

  @Option(names = "--window-end", description = "Archive only: end (exclusive) of the window, ISO-8601 (default: now).")
  Instant windowEnd;

  @Option(names = "--model-kind", description = "With --as-served: the model kind whose versions are read (default: ${DEFAULT-VALUE}).")
  String modelKind = "sasrec";

  @Option(names = "--out", description = "Report folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs/replay");

  @Option(names = "--top-k", description = "Length of each served list (default: ${DEFAULT-VALUE}).")
  int topK = ReplayJob.Options.defaults().topK();

  @Option(names = "--cutoffs", split = ",", description = "Metric cutoffs K, each <= --top-k (default: 5,10,20).")
  int[] cutoffs = ReplayJob.Options.defaults().cutoffs();

  @Option(names = "--report-window", description = "Time bucket of the per-window metrics and charts, e.g. 1h, or auto: "
      + "the shortest round width that gives at most 100 windows over the replayed span (default: ${DEFAULT-VALUE}).")
  String reportWindow = "auto";

  @Option(names = "--sequence-length", description = "User state capacity, as the live job's (default: ${DEFAULT-VALUE}).")
  int sequenceLength = ReplayJob.Options.defaults().sequenceLength();

  @Option(names = "--parallelism", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism = 2;

  @Option(names = "--flink-conf-dir", paramLabel = "DIR", description = "A Flink config.yaml with the file system settings "
      + "(s3.endpoint, s3.access-key, ...) for s3:// archives and models (default: $FLINK_CONF_DIR if set; else the S3 client's defaults).")
  Path flinkConfDir;

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new ReplayCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (Boolean.getBoolean("lmrec.debug")) e.printStackTrace();
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
  }

  /** Where a --dataset is written in archive layout for the replay; removed afterwards. */
  private Path scratch;

  @Override
  public Integer call() throws Exception {
    try {
      return replay();
    } finally {
      if (scratch != null) deleteRecursively(scratch);
    }
  }

  private Integer replay() throws Exception {
    Configuration fsConfig = fileSystemSettings();
    org.lmrec.flink.storage.FlinkFileSystems.initialize(fsConfig);
    List<org.apache.flink.core.fs.Path> files = files();
    ModelRouting routing = models.registry != null ? ModelRouting.AS_SERVED : ModelRouting.SIDE_BY_SIDE;
    List<ModelPointer> pointers = pointers();
    Configuration flink = new Configuration(fsConfig);
    flink.setString("parallelism.default", String.valueOf(parallelism));
    Arrays.sort(cutoffs);
    ReplayJob.Options options = new ReplayJob.Options(topK, sequenceLength, ReplayJob.Options.defaults().batchSize(), cutoffs,
        reportWindow.equals("auto") ? null : TimeUtils.parseDuration(reportWindow), "replay " + (input.archive != null ? input.archive : input.dataset) + " (" + routing + ")");
    ReplayJob.Result result = new ReplayJob(options, flink).run(files, routing, pointers);
    List<Path> written = result.report().writeTo(out);
    System.out.println(result.report().markdown());
    System.out.printf("replayed %,d events (%,d outcomes) in %.1f s = %,.0f events/s; wrote %s%n",
        result.events(), result.outcomes(), result.seconds(), result.eventsPerSecond(), written);
    return 0;
  }

  private List<org.apache.flink.core.fs.Path> files() throws Exception {
    if (input.archive != null) {
      Instant end = windowEnd != null ? windowEnd : Instant.now();
      ArchiveWindow w = ArchiveWindow.lastDays(TimeUtils.parseDuration(window), end);
      ArchiveFiles listed = ArchiveFiles.list(input.archive, w);
      if (listed.files().isEmpty()) throw new IllegalArgumentException("no finished archive file under " + input.archive + " in " + w);
      return listed.files();
    }
    Dataset data = DatasetLoader.load(input.dataset);
    scratch = Files.createTempDirectory("lmrec-replay-");
    return ReplayJob.flinkPaths(ArchiveWriter.write(data, scratch, parallelism, Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(1)));
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private List<ModelPointer> pointers() {
    List<ModelPointer> out = new ArrayList<>();
    if (models.registry != null) {
      List<ModelArtifact> versions = new ArtifactStore(models.registry).list(modelKind);
      if (versions.isEmpty()) throw new IllegalArgumentException("no published " + modelKind + " version under " + models.registry);
      for (ModelArtifact a : versions) out.add(ModelLoader.pointerTo(a.dir()));
    } else {
      for (String model : models.artifacts) out.add(ReplayJob.pointer(model, 0));
    }
    return out;
  }

  /** --flink-conf-dir's config.yaml, else $FLINK_CONF_DIR's, else none: s3.* settings for the archive and the models. */
  private Configuration fileSystemSettings() {
    if (flinkConfDir != null) {
      if (!Files.isRegularFile(flinkConfDir.resolve("config.yaml"))) throw new IllegalArgumentException("--flink-conf-dir " + flinkConfDir + " holds no config.yaml");
      return org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(flinkConfDir.toString());
    }
    return org.lmrec.flink.storage.FlinkFileSystems.clientConfiguration();
  }
}
