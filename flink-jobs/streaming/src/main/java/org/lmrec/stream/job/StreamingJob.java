package org.lmrec.stream.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.UserSummaryUpdate;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentJson;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.experiment.ExperimentLimits;
import org.lmrec.stream.experiment.ExperimentStatistics;
import org.lmrec.stream.experiment.ExperimentUpdate;
import org.lmrec.stream.experiment.ExposureOutcomes;
import org.lmrec.stream.experiment.ExposureOutcomesOperator;
import org.lmrec.stream.experiment.OutcomeTallies;
import org.lmrec.stream.experiment.OutcomeTally;
import org.lmrec.stream.experiment.OutsideEventTime;
import org.lmrec.stream.experiment.OutcomeInput;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.lmrec.stream.ingest.ClockBoundedWatermarks;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.flink.deadletter.SplitDeadLetters;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.stream.scoring.ArtifactRoots;
import org.lmrec.stream.scoring.ModelAnnouncement;
import org.lmrec.stream.scoring.ModelLimits;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.stream.scoring.ScoringOperator;
import org.lmrec.stream.scoring.ScoringRequest;
import org.lmrec.stream.state.SequenceStateFunction;

/**
 * The streaming recommendation topology. Sources and sinks come in through the constructor (Kafka
 * in production, see {@link KafkaEndpoints}), so the same topology serves tests and other shells.
 *
 * <pre>
 * interactions ─► decode+validate ─► keyBy(user) ─► user sequences ─► scorer ─► recommendations
 *                      │ bad          experiments ─►  │ late │ accepted   ▲    │ side output: steps and exposures of users
 *                      ▼              (broadcast)     ▼      ▼            │    ▼ in experiments, still partitioned by user
 *                 dead letters ◄──────────────────────┘   archive   model updates   exposure outcomes (chained: keyed by
 *                                                                                     user, reinterpreted) ─► tallies
 *                                                                                            │ keyBy(experiment)
 *                                                                          experiment statistics ─► results, reports
 * </pre>
 *
 * <p>The dead letters are the side outputs of the two {@link SplitDeadLetters} (interactions the
 * source refused, model announcements it refused), the user sequences' late interactions
 * ({@link SequenceStateFunction#LATE}) and refused experiment definitions
 * ({@link SequenceStateFunction#REFUSED_DEFINITIONS}), and every operator's per-record failures.
 */
public final class StreamingJob {
  /** Stable operator ids: savepoints map state by these, so they never change. */
  public static final class Uids {
    public static final String INTERACTIONS_SOURCE = "interactions-source";
    public static final String SPLIT_DEAD_LETTERS = "split-dead-letters";
    public static final String USER_SEQUENCES = "user-sequences";
    public static final String MODEL_UPDATES_SOURCE = "model-updates-source";
    public static final String MODEL_POINTERS = "model-pointers";
    public static final String MODEL_DEAD_LETTERS = "model-dead-letters";
    public static final String SCORER = "scorer";
    public static final String RECOMMENDATIONS_SINK = "recommendations-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String ARCHIVE_RECORDS = "archive-records";
    public static final String ARCHIVE_SINK = "archive-sink";
    public static final String EXPERIMENTS_SOURCE = "experiments-source";
    public static final String EXPERIMENTS_FILE_SOURCE = "experiments-file-source";
    public static final String EXPERIMENTS_IDLE = "experiments-outside-event-time";
    public static final String EXPERIMENTS_FILE_IDLE = "experiments-file-outside-event-time";
    public static final String EXPOSURES = "exposures";
    public static final String EXPOSURES_SINK = "exposures-sink";
    public static final String MODEL_POINTERS_IDLE = "model-pointers-outside-event-time";
    public static final String EXPOSURE_OUTCOMES = "exposure-outcomes";
    public static final String OUTCOME_TALLIES = "outcome-tallies";
    public static final String EXPERIMENT_STATISTICS = "experiment-statistics";
    public static final String EXPERIMENT_RESULTS_SINK = "experiment-results-sink";
    public static final String USER_SUMMARIES = "user-summaries";
    public static final String SUMMARY_REFRESH = "summary-refresh";
    public static final String SUMMARY_RESULTS = "summary-results";
    public static final String SUMMARIES_SINK = "summaries-sink";

    private Uids() {}
  }

  /**
   * Where the job reads and writes. The archive, the experiments source, the exposures sink and the
   * experiment results sink may be null: no archive; experiments only from {@code
   * lmrec.experiments.file} if set; exposures not written (they are still the recommendations that
   * carry an experiment id); results only as report files, if {@code lmrec.experiments.report-dir} is set.
   */
  public record Endpoints(
      Source<Ingested, ?, ?> interactions,
      Source<ModelAnnouncement, ?, ?> modelUpdates,
      Sink<Recommendation> recommendations,
      Sink<DeadLetter> deadLetters,
      Sink<InteractionEvent> archive,
      Source<ExperimentUpdate, ?, ?> experiments,
      Sink<Recommendation> exposures,
      Sink<ExperimentResult> experimentResults,
      Sink<UserSummaryUpdate> summaries) {
    /** Without a summaries sink: summaries, when switched on, are kept in state but written nowhere. */
    public Endpoints(
        Source<Ingested, ?, ?> interactions,
        Source<ModelAnnouncement, ?, ?> modelUpdates,
        Sink<Recommendation> recommendations,
        Sink<DeadLetter> deadLetters,
        Sink<InteractionEvent> archive,
        Source<ExperimentUpdate, ?, ?> experiments,
        Sink<Recommendation> exposures,
        Sink<ExperimentResult> experimentResults) {
      this(interactions, modelUpdates, recommendations, deadLetters, archive, experiments, exposures, experimentResults, null);
    }

    public Endpoints withSummaries(Sink<UserSummaryUpdate> sink) {
      return new Endpoints(interactions, modelUpdates, recommendations, deadLetters, archive, experiments, exposures, experimentResults, sink);
    }

    public Endpoints(
        Source<Ingested, ?, ?> interactions,
        Source<ModelAnnouncement, ?, ?> modelUpdates,
        Sink<Recommendation> recommendations,
        Sink<DeadLetter> deadLetters,
        Sink<InteractionEvent> archive) {
      this(interactions, modelUpdates, recommendations, deadLetters, archive, null, null, null, null);
    }
  }

  private final Configuration options;
  private final Endpoints endpoints;

  public StreamingJob(Configuration options, Endpoints endpoints) {
    this.options = options;
    this.endpoints = endpoints;
  }

  /** The Flink settings the job needs: RocksDB with incremental checkpoints at the configured interval. */
  public static Configuration flinkSettings(Configuration options) {
    Configuration c = new Configuration();
    c.setString("state.backend.type", "rocksdb");
    c.setString("execution.checkpointing.incremental", "true");
    // Larger write buffers and block cache: with the defaults, memtable flushes and compactions
    // stalled the task threads for 100-400 ms at moderate rates (benchmarks/run.sh streaming:
    // the job's p99 at a quarter of the sustained rate went from 365 ms to 117 ms). Any Flink
    // setting given to the job overrides this.
    c.setString("state.backend.rocksdb.predefined-options", "SPINNING_DISK_OPTIMIZED_HIGH_MEM");
    c.setString("execution.checkpointing.dir", options.get(StreamingOptions.CHECKPOINT_DIR));
    c.setString("execution.checkpointing.interval", options.get(StreamingOptions.CHECKPOINT_INTERVAL).toMillis() + " ms");
    c.setString("execution.buffer-timeout.interval", options.get(StreamingOptions.BUFFER_TIMEOUT).toMillis() + " ms");
    c.setString("parallelism.default", String.valueOf(options.get(StreamingOptions.PARALLELISM)));
    return c;
  }

  /** Adds the topology to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    build(env, UnaryOperator.identity());
  }

  /**
   * Adds the topology to {@code env}, with {@code beforeRecommendationsSink} applied to the
   * scorer's output just before the recommendations sink. The fault campaign's changed job
   * ({@code org.lmrec.bench.faults.ChangedStreamingJobMain}) inserts an operator there, with its
   * own uid, and restores from this job's savepoint; every uid here stays as it is.
   */
  public void build(StreamExecutionEnvironment env, UnaryOperator<DataStream<Recommendation>> beforeRecommendationsSink) {
    env.getConfig().enableObjectReuse(); // operators never keep or mutate records they emitted

    SplitDeadLetters<Ingested, Interaction> splitInteractions = SplitDeadLetters.counted("dead-letters", Interaction.class);
    SingleOutputStreamOperator<Interaction> interactions =
        env.fromSource(endpoints.interactions(), interactionWatermarks(options, ClockBoundedWatermarks.WALL_CLOCK), "interactions")
            .uid(Uids.INTERACTIONS_SOURCE)
            .process(splitInteractions)
            .uid(Uids.SPLIT_DEAD_LETTERS)
            .name("decode and validate");

    Duration ttl = options.get(StreamingOptions.STATE_TTL);
    DataStream<ExperimentUpdate> experiments = experiments(env);
    SingleOutputStreamOperator<ScoringRequest> requests =
        interactions
            .keyBy(i -> i.userId, TypeInformation.of(String.class))
            .connect(experiments.broadcast(SequenceStateFunction.EXPERIMENTS))
            .process(new SequenceStateFunction(
                options.get(StreamingOptions.SEQUENCE_LENGTH), ttl,
                options.get(StreamingOptions.ALLOWED_LATENESS), options.get(StreamingOptions.SCORED_EVENT_TYPES),
                options.get(StreamingOptions.DEDUP_HORIZON), experimentLimits()))
            .uid(Uids.USER_SEQUENCES)
            .name("user sequences");

    // Refusals are counted by the source (lmrecModelRefusals): this split counts nothing.
    SplitDeadLetters<ModelAnnouncement, ModelPointer> splitAnnouncements = SplitDeadLetters.uncounted("model-dead-letters", ModelPointer.class);
    SingleOutputStreamOperator<ModelPointer> pointers =
        env.fromSource(endpoints.modelUpdates(), WatermarkStrategy.noWatermarks(), "model updates")
            .uid(Uids.MODEL_UPDATES_SOURCE)
            .setParallelism(1)
            .process(splitAnnouncements)
            .uid(Uids.MODEL_POINTERS)
            .name("model pointers")
            .setParallelism(1);
    // Out of event time like the experiments: a source without watermarks would otherwise hold the
    // scorer's output watermark at its minimum, and the outcome timers downstream would never fire.
    DataStream<ModelPointer> pointersForScorer = pointers
        .transform("model pointers outside event time", TypeInformation.of(ModelPointer.class), new OutsideEventTime<>())
        .uid(Uids.MODEL_POINTERS_IDLE)
        .setParallelism(1);

    SingleOutputStreamOperator<Recommendation> recommendations =
        requests
            .connect(pointersForScorer.broadcast())
            .transform("scorer", TypeInformation.of(Recommendation.class), new ScoringOperator(
                initialModel(), modelLimits(options), modelLoading(options), options.get(StreamingOptions.TOP_K), options.get(StreamingOptions.BATCH_SIZE),
                options.get(StreamingOptions.BATCH_DELAY).toMillis(), org.lmrec.stream.rerank.RerankSettings.from(options), topKSearch(options)))
            .uid(Uids.SCORER);
    beforeRecommendationsSink.apply(recommendations).sinkTo(endpoints.recommendations()).uid(Uids.RECOMMENDATIONS_SINK).name("recommendations");
    if (endpoints.exposures() != null) {
      recommendations.filter(r -> r.getExperimentId() != null).uid(Uids.EXPOSURES).name("exposures")
          .sinkTo(endpoints.exposures()).uid(Uids.EXPOSURES_SINK).name("exposures sink");
    }
    DataStream<DeadLetter> experimentFailures = experimentStatistics(recommendations.getSideOutput(ScoringOperator.OUTCOME_INPUTS), experiments, ttl);

    // Every operator's per-record failures end here too: no record can fail a task.
    DataStream<DeadLetter> deadLetters =
        interactions.getSideOutput(splitInteractions.deadLetters())
            .union(requests.getSideOutput(SequenceStateFunction.LATE), requests.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS),
                pointers.getSideOutput(splitAnnouncements.deadLetters()), recommendations.getSideOutput(ScoringOperator.FAILED), experimentFailures);
    deadLetters.sinkTo(endpoints.deadLetters()).uid(Uids.DEAD_LETTERS_SINK).name("dead letters");

    summaries(requests.getSideOutput(SequenceStateFunction.ACCEPTED), ttl);

    if (endpoints.archive() != null) {
      requests.getSideOutput(SequenceStateFunction.ACCEPTED)
          .map(Interaction::toEvent, TypeInformation.of(InteractionEvent.class))
          .uid(Uids.ARCHIVE_RECORDS)
          .name("to archive records")
          .sinkTo(endpoints.archive())
          .uid(Uids.ARCHIVE_SINK)
          .name("interaction archive");
    }
  }

  /**
   * User summaries (LLM-TRSR, {@code lmrec.summaries.*}, off by default) off the accepted
   * interactions, a branch beside the scorer: nothing on the recommendation path waits for it.
   * Extractive: refreshed in {@link org.lmrec.stream.summary.UserSummaries}. Endpoint: its refresh
   * requests go through Async I/O (unordered, capacity and timeout from the options) and
   * {@link org.lmrec.stream.summary.SummaryResults} keeps the newest result per user.
   */
  private void summaries(DataStream<Interaction> accepted, Duration ttl) {
    org.lmrec.stream.summary.SummarySettings settings = org.lmrec.stream.summary.SummarySettings.from(options);
    if (!settings.enabled()) return;
    SingleOutputStreamOperator<UserSummaryUpdate> extractive =
        accepted.keyBy(i -> i.userId, TypeInformation.of(String.class))
            .process(new org.lmrec.stream.summary.UserSummaries(settings, ttl), TypeInformation.of(UserSummaryUpdate.class))
            .uid(Uids.USER_SUMMARIES)
            .name("user summaries");
    DataStream<UserSummaryUpdate> updates = extractive;
    if (settings.backend().generative()) {
      DataStream<org.lmrec.stream.summary.RefreshResult> results = org.apache.flink.streaming.api.datastream.AsyncDataStream.unorderedWait(
              extractive.getSideOutput(org.lmrec.stream.summary.UserSummaries.REFRESHES), new org.lmrec.stream.summary.GenerativeRefresh(settings),
              settings.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, settings.capacity())
          .uid(Uids.SUMMARY_REFRESH)
          .name("summary refresh (" + settings.backend().name().toLowerCase(java.util.Locale.ROOT) + ")");
      updates = results.keyBy(r -> r.userId, TypeInformation.of(String.class))
          .process(new org.lmrec.stream.summary.SummaryResults(ttl), TypeInformation.of(UserSummaryUpdate.class))
          .uid(Uids.SUMMARY_RESULTS)
          .name("summary results");
    }
    if (endpoints.summaries() != null) updates.sinkTo(endpoints.summaries()).uid(Uids.SUMMARIES_SINK).name("summaries");
  }

  /**
   * Per-partition bounded out-of-orderness, never ahead of {@code clock} (see
   * {@link ClockBoundedWatermarks}); a partition idle for {@code lmrec.event-time.idleness} stops
   * holding the watermark back.
   */
  public static WatermarkStrategy<Ingested> interactionWatermarks(Configuration options, ClockBoundedWatermarks.Clock clock) {
    Duration outOfOrderness = options.get(StreamingOptions.OUT_OF_ORDERNESS);
    return WatermarkStrategy.<Ingested>forGenerator(context -> new ClockBoundedWatermarks<>(outOfOrderness, clock))
        .withTimestampAssigner((record, kafkaTime) -> record.eventTimeOrMin())
        .withIdleness(options.get(StreamingOptions.SOURCE_IDLENESS));
  }

  private ExperimentLimits experimentLimits() {
    return new ExperimentLimits(options.get(StreamingOptions.MAX_EXPERIMENTS), options.get(StreamingOptions.MAX_EXPERIMENT_DEFINITION_CHARS));
  }

  /**
   * Exposures joined with the users' later interactions into outcomes (keyed by user), then tallied
   * and looked at per experiment (keyed by experiment id) into results. Returns both operators'
   * dead letters.
   */
  private DataStream<DeadLetter> experimentStatistics(DataStream<OutcomeInput> outcomeInputs, DataStream<ExperimentUpdate> experiments, Duration ttl) {
    // The scorer's output is partitioned by user exactly as its keyed input was (a forward edge from
    // the user sequences): reinterpreted as keyed, the join chains into the scorer's thread.
    SingleOutputStreamOperator<ExperimentOutcome> outcomes =
        DataStreamUtils.reinterpretAsKeyedStream(outcomeInputs, OutcomeInput::userId, TypeInformation.of(String.class))
            .transform("exposure outcomes", TypeInformation.of(ExperimentOutcome.class),
                new ExposureOutcomesOperator(new ExposureOutcomes(options.get(StreamingOptions.OUTCOME_HORIZON_EVENTS),
                    options.get(StreamingOptions.OUTCOME_HORIZON_TIME), options.get(StreamingOptions.ALLOWED_LATENESS), ttl,
                    options.get(StreamingOptions.OUTCOME_CACHE_USERS))))
            .uid(Uids.EXPOSURE_OUTCOMES);
    // Folded per subtask (chained to the join) so the experiment's one subtask merges tallies, not outcomes.
    SingleOutputStreamOperator<OutcomeTally> tallies =
        outcomes.transform("outcome tallies", TypeInformation.of(OutcomeTally.class),
                new OutcomeTallies(options.get(StreamingOptions.LOOK_INTERVAL), OutcomeTallies.DEFAULT_MAX_OUTCOMES))
            .uid(Uids.OUTCOME_TALLIES);
    SingleOutputStreamOperator<ExperimentResult> results =
        tallies.keyBy(t -> t.experimentId, TypeInformation.of(String.class))
            .connect(experiments.broadcast(ExperimentStatistics.EXPERIMENTS))
            .process(new ExperimentStatistics(options.get(StreamingOptions.LOOK_INTERVAL), options.get(StreamingOptions.ALPHA),
                options.get(StreamingOptions.TAU), options.getOptional(StreamingOptions.EXPERIMENT_REPORT_DIR).orElse(null),
                options.get(StreamingOptions.EXPERIMENT_STATISTICS_RETENTION), experimentLimits()),
                TypeInformation.of(ExperimentResult.class))
            .uid(Uids.EXPERIMENT_STATISTICS)
            .name("experiment statistics");
    if (endpoints.experimentResults() != null) {
      results.sinkTo(endpoints.experimentResults()).uid(Uids.EXPERIMENT_RESULTS_SINK).name("experiment results");
    }
    return outcomes.getSideOutput(ExposureOutcomes.FAILED)
        .union(tallies.getSideOutput(OutcomeTallies.FAILED), results.getSideOutput(ExperimentStatistics.FAILED));
  }

  /** Experiment definitions: the topic if configured, else the file if configured, else nothing. */
  private DataStream<ExperimentUpdate> experiments(StreamExecutionEnvironment env) {
    TypeInformation<ExperimentUpdate> type = TypeInformation.of(ExperimentUpdate.class);
    if (endpoints.experiments() != null) {
      return env.fromSource(endpoints.experiments(), WatermarkStrategy.noWatermarks(), "experiments")
          .uid(Uids.EXPERIMENTS_SOURCE).setParallelism(1)
          .transform("experiments outside event time", type, new OutsideEventTime<>()).uid(Uids.EXPERIMENTS_IDLE).setParallelism(1);
    }
    List<ExperimentUpdate> updates = new ArrayList<>();
    options.getOptional(StreamingOptions.EXPERIMENTS_FILE).ifPresent(f -> {
      for (Experiment e : ExperimentJson.load(Path.of(f))) updates.add(ExperimentUpdate.of(e.id(), ExperimentJson.write(e)));
    });
    if (updates.isEmpty()) updates.add(ExperimentUpdate.nothing());
    return env.fromData(updates, type).uid(Uids.EXPERIMENTS_FILE_SOURCE).setParallelism(1)
        .transform("experiments outside event time", type, new OutsideEventTime<>()).uid(Uids.EXPERIMENTS_FILE_IDLE).setParallelism(1);
  }

  /** The scorer's {@link ModelLimits} from the settings. */
  /** Exact top-K unless {@code lmrec.scoring.top-k-search=hnsw}; bad graph parameters fail here, at submission. */
  public static org.lmrec.serving.TopKSearch topKSearch(Configuration options) {
    return new org.lmrec.serving.TopKSearch(options.get(StreamingOptions.TOP_K_SEARCH), new org.lmrec.serving.HnswItemIndex.Params(
        options.get(StreamingOptions.HNSW_M), options.get(StreamingOptions.HNSW_BEAM_WIDTH), options.get(StreamingOptions.HNSW_EF_SEARCH),
        org.lmrec.serving.HnswItemIndex.Params.DEFAULT_SEED));
  }

  public static org.lmrec.stream.scoring.ModelLoading modelLoading(Configuration options) {
    return new org.lmrec.stream.scoring.ModelLoading(options.get(StreamingOptions.MODEL_LOAD_TIMEOUT), options.get(StreamingOptions.MAX_LOADING_THREADS));
  }

  public static ModelLimits modelLimits(Configuration options) {
    return new ModelLimits(artifactRoots(options), options.get(StreamingOptions.MAX_EXTRA_MODELS),
        options.get(StreamingOptions.MAX_ARTIFACT_BYTES).getBytes());
  }

  /**
   * Who may sign model announcements ({@code lmrec.models.trusted-keys}) and whether they must be
   * signed; refuses, with the reason, to build one that requires signatures without a trusted key.
   */
  public static org.lmrec.flink.announce.AnnouncementVerifier announcementVerifier(Configuration options) {
    return org.lmrec.flink.announce.AnnouncementVerifier.fromFiles(
        options.getOptional(StreamingOptions.TRUSTED_KEYS).orElse(List.of()).stream().map(Path::of).toList(),
        options.get(StreamingOptions.REQUIRE_SIGNATURE));
  }

  /** {@code lmrec.models.artifact-roots}, else the folder of the initial model, else none. */
  public static ArtifactRoots artifactRoots(Configuration options) {
    List<String> configured = options.getOptional(StreamingOptions.ARTIFACT_ROOTS).orElse(null);
    if (configured != null) return ArtifactRoots.ofUris(configured);
    return options.getOptional(StreamingOptions.INITIAL_MODEL)
        .map(p -> org.lmrec.flink.storage.RemoteLocation.isRemote(p)
            ? ArtifactRoots.ofUris(List.of(org.lmrec.flink.storage.RemoteLocation.parse(p).parent().uri()))
            : ArtifactRoots.of(List.of(ModelLoader.toPath(p).toAbsolutePath().normalize().getParent())))
        .orElse(ArtifactRoots.of(List.of()));
  }

  private ModelPointer initialModel() {
    return options.getOptional(StreamingOptions.INITIAL_MODEL).map(ModelLoader::pointerTo).orElse(null);
  }
}
