package org.lmrec.stream.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.lmrec.replay.ReplayReport;
import org.lmrec.replay.ReplaySettings;
import org.lmrec.schema.Recommendation;
import org.lmrec.serving.ServingModel;
import org.lmrec.flink.archive.InteractionArchiveFormat;
import org.lmrec.settings.Settings;
import org.lmrec.stream.experiment.ExperimentUpdate;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.stream.scoring.ScoringOperator;
import org.lmrec.stream.scoring.ScoringRequest;
import org.lmrec.stream.state.SequenceStateFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays an interaction log (archive files, see {@link org.lmrec.flink.archive.ArchiveFiles}, or
 * a dataset written as such by {@link org.lmrec.flink.archive.ArchiveWriter}) through the
 * streaming job's own {@link SequenceStateFunction} and {@link ScoringOperator} (as {@link ReplayScoringOperator}), in BATCH mode, and
 * reports how well each model's served lists predicted each user's next interaction.
 *
 * <pre>
 * archive files ─► keyBy(user) ─► replay order ─► keyBy(user) ─► user sequences ─► scorer ─► keyBy(user, event) ─► outcome join ─► report
 *                                     │ next item per event                            ▲ pointers (all read first)  ▲
 *                                     └────────────────────────────────────────────────┼────────────────────────────┘
 * </pre>
 *
 * {@link ModelRouting#AS_SERVED}: each event is scored by the model announced last at or before its
 * event time (the pointer's {@code announcedAt}); the report has one model per version, each over the
 * time it served, plus {@value org.lmrec.stream.scoring.ScoringOperator#NO_MODEL} for events older than
 * every announcement (empty lists). {@link ModelRouting#SIDE_BY_SIDE}: every model scores every event;
 * the report has one model per version, all over the same events, so its ranking compares like with like.
 */
public final class ReplayJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayJob.class);

  /** Stable operator ids, as in every job of the project. */
  public static final class Uids {
    public static final String SOURCE = "replay-source";
    public static final String ORDER = "replay-order";
    public static final String EVENT_TIMESTAMPS = "replay-event-timestamps";
    public static final String INTERACTIONS = "replay-interactions";
    public static final String USER_SEQUENCES = "user-sequences";
    public static final String MODEL_POINTERS = "replay-model-pointers";
    public static final String EXPERIMENTS = "replay-experiments";
    public static final String SCORER = "scorer";
    public static final String TARGETS = "replay-targets";
    public static final String OUTCOMES = "replay-outcomes";
    public static final String ITEM_KEYS = "replay-item-keys";
    public static final String ITEM_COUNTS = "replay-item-counts";

    private Uids() {}
  }

  /**
   * @param topK length of each served list; at least the report's largest cutoff
   * @param sequenceLength the user state's capacity, as the live job's {@code lmrec.state.sequence-length}
   * @param batchSize the scorer's micro-batch size
   * @param window the report's time window; null chooses one from the replayed span
   *     ({@link org.lmrec.replay.WindowChoice})
   */
  public record Options(int topK, int sequenceLength, int batchSize, int[] cutoffs, Duration window, String title)
      implements Settings<Options> {
    public Options {
      if (topK < 1 || sequenceLength < 1 || batchSize < 1) throw new IllegalArgumentException("topK, sequenceLength and batchSize must be positive");
      if (cutoffs.length == 0 || cutoffs[cutoffs.length - 1] > topK) {
        throw new IllegalArgumentException("the largest cutoff must not exceed the served list length topK = " + topK);
      }
    }

    public static Options defaults() {
      return new Options(20, 50, 256, new int[] {5, 10, 20}, null, "replay");
    }

    public Options withTitle(String t) {
      return with(Options::title, t);
    }

    public Options withWindow(Duration w) {
      return with(Options::window, w);
    }
  }

  /** The report, and the job's counts. */
  public record Result(ReplayReport report, long events, long outcomes, double seconds) {
    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  private final Options options;
  private final Configuration flinkConfig;

  public ReplayJob(Options options, Configuration flinkConfig) {
    this.options = Objects.requireNonNull(options, "options");
    this.flinkConfig = new Configuration(Objects.requireNonNull(flinkConfig, "flinkConfig"));
  }

  /**
   * Replays {@code files} (archive-format Avro files) with {@code models}. Every model is loaded and
   * checked here first, so a broken artifact fails the replay before it starts, with the reason.
   */
  public Result run(List<org.apache.flink.core.fs.Path> files, ModelRouting routing, List<ModelPointer> models) throws Exception {
    if (files.isEmpty()) throw new IllegalArgumentException("nothing to replay: no archive files");
    if (models.isEmpty()) throw new IllegalArgumentException("nothing to replay with: no models");
    int catalogue = checkModels(models, routing);
    long started = System.nanoTime();

    Configuration conf = new Configuration(flinkConfig);
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    try (HeldMiniCluster cluster = new HeldMiniCluster(conf)) {
      return run(cluster.environment(), files, routing, models, catalogue, started);
    }
  }

  private Result run(StreamExecutionEnvironment env, List<org.apache.flink.core.fs.Path> files, ModelRouting routing, List<ModelPointer> models,
      int catalogue, long started) throws Exception {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);

    FileSource<Interaction> source =
        FileSource.forBulkFileFormat(new InteractionArchiveFormat(), files.toArray(new org.apache.flink.core.fs.Path[0])).build();
    DataStream<Interaction> log = env.fromSource(source, WatermarkStrategy.noWatermarks(), "replayed log").uid(Uids.SOURCE);
    SingleOutputStreamOperator<ReplayEvent> ordered =
        log.keyBy(i -> i.userId, Types.STRING)
            .process(new ReplayOrder())
            .uid(Uids.ORDER)
            .name("replay order")
            // The ordinal becomes the timestamp: BATCH mode then feeds each user's events in this order.
            .assignTimestampsAndWatermarks(WatermarkStrategy.<ReplayEvent>noWatermarks().withTimestampAssigner((e, t) -> e.ordinal))
            .uid(Uids.EVENT_TIMESTAMPS);

    DataStream<ScoringRequest> requests =
        ordered.map(e -> e.interaction, TypeInformation.of(Interaction.class))
            .uid(Uids.INTERACTIONS)
            .name("interactions")
            .keyBy(i -> i.userId, Types.STRING)
            // No experiments in a replay (yet): the operator's broadcast input gets a no-op record.
            .connect(env.fromData(List.of(ExperimentUpdate.nothing()), TypeInformation.of(ExperimentUpdate.class))
                .uid(Uids.EXPERIMENTS).setParallelism(1).broadcast(SequenceStateFunction.EXPERIMENTS))
            // No TTL and no lateness limit: a replay has no processing time to expire by, and every
            // event of the log counts (BATCH mode has no watermark until the end anyway).
            .process(new SequenceStateFunction(options.sequenceLength(), Duration.ZERO, Duration.ofDays(365_000), List.of("ALL")))
            .uid(Uids.USER_SEQUENCES)
            .name("user sequences");
    DataStream<ModelPointer> pointers =
        env.fromData(TypeInformation.of(ModelPointer.class), models.toArray(new ModelPointer[0])).uid(Uids.MODEL_POINTERS).setParallelism(1);
    DataStream<Recommendation> served =
        requests.connect(pointers.broadcast())
            .transform("scorer (" + routing + ")", TypeInformation.of(Recommendation.class),
                new ReplayScoringOperator(routing, options.topK(), options.batchSize()))
            .uid(Uids.SCORER);

    DataStream<ReplayEvent> targets = ordered.filter(e -> e.nextItemId != null).uid(Uids.TARGETS).name("events with a next item");
    DataStream<ReplayOutcomeRecord> outcomes =
        served.keyBy(r -> OutcomeJoin.key(r.getUserId(), r.getTriggeringEventId()), Types.STRING)
            .connect(targets.keyBy(e -> OutcomeJoin.key(e.interaction.userId, e.interaction.eventId), Types.STRING))
            .process(new OutcomeJoin(), TypeInformation.of(ReplayOutcomeRecord.class))
            .uid(Uids.OUTCOMES)
            .name("outcome join");
    DataStream<Tuple2<String, Long>> itemCounts =
        ordered.map(e -> Tuple2.of(e.interaction.itemId, 1L), Types.TUPLE(Types.STRING, Types.LONG))
            .uid(Uids.ITEM_KEYS)
            .name("item keys")
            .keyBy(t -> t.f0, Types.STRING)
            .sum(1)
            .uid(Uids.ITEM_COUNTS)
            .name("item popularity");

    ReplaySettings settings = ReplaySettings.of(options.cutoffs(), options.window(), catalogue, options.title());
    ReplayReport.Builder report = ReplayReport.builder(settings);
    Map<String, Long> popularity = new HashMap<>();
    long outcomeCount = 0;
    JobExecutionResult job;
    // Both iterators close before the cluster does (see HeldMiniCluster).
    try (CloseableIterator<ReplayOutcomeRecord> outs = outcomes.collectAsync();
        CloseableIterator<Tuple2<String, Long>> counts = itemCounts.collectAsync()) {
      JobClient client = env.executeAsync("lmrec replay (" + routing + ", " + models.size() + " model(s), " + files.size() + " files)");
      while (outs.hasNext()) {
        report.accept(outs.next().toOutcome());
        outcomeCount++;
      }
      counts.forEachRemaining(t -> popularity.put(t.f0, t.f1));
      job = client.getJobExecutionResult().get();
    }
    long events = popularity.values().stream().mapToLong(Long::longValue).sum();
    report.itemPopularity(popularity);
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info("replayed {} events ({} outcomes) with {} model(s) {} in {} s ({} ms of Flink job time)", events, outcomeCount, models.size(), routing,
        String.format("%.1f", seconds), job.getNetRuntime());
    if (outcomeCount == 0) throw new IllegalStateException("the replay produced no outcome: no user has two events in the log");
    return new Result(report.build(), events, outcomeCount, seconds);
  }

  /** Loads every model once (the operator will load them again): a broken artifact fails here with its reason. Returns the largest catalogue. */
  private static int checkModels(List<ModelPointer> models, ModelRouting routing) {
    Set<String> versions = new HashSet<>();
    int catalogue = 0;
    for (ModelPointer p : models) {
      if (!versions.add(p.version)) throw new IllegalArgumentException("model version " + p.version + " is given twice; replay labels models by version");
      ServingModel m = ModelLoader.load(p);
      catalogue = Math.max(catalogue, m.numItems());
    }
    if (routing == ModelRouting.AS_SERVED) {
      List<ModelPointer> byTime = new ArrayList<>(models);
      byTime.sort(java.util.Comparator.comparingLong(p -> p.announcedAt));
      LOG.info("as-served timeline: {}", byTime.stream().map(p -> p.version + " from " + java.time.Instant.ofEpochMilli(p.announcedAt)).toList());
    }
    return catalogue;
  }

  /** A pointer to an artifact directory that serves from {@code servedFromMillis} on (as-served), or any time (side by side). */
  public static ModelPointer pointer(Path artifactDir, long servedFromMillis) {
    ModelPointer p = ModelLoader.pointerTo(artifactDir);
    return new ModelPointer(p.version, p.uri, p.manifestSha256, servedFromMillis);
  }

  /** As {@link #pointer(Path, long)}, for a folder, a {@code file://} or a remote ({@code s3://}) artifact URI. */
  public static ModelPointer pointer(String artifact, long servedFromMillis) {
    ModelPointer p = ModelLoader.pointerTo(artifact);
    return new ModelPointer(p.version, p.uri, p.manifestSha256, servedFromMillis);
  }

  /** Local files as Flink paths, for {@link #run}. */
  public static List<org.apache.flink.core.fs.Path> flinkPaths(List<Path> files) {
    List<org.apache.flink.core.fs.Path> out = new ArrayList<>();
    for (Path f : files) out.add(new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()));
    return out;
  }
}
