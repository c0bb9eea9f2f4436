package org.lmrec.stream.scoring;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.lmrec.stream.experiment.OutcomeInput;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.RankedItems;
import org.lmrec.serving.ServingModel;
import org.lmrec.serving.TopKSearch;
import org.lmrec.stream.rerank.RerankSettings;
import org.lmrec.stream.rerank.Reranking;

/**
 * Scores scoring requests (input 1) in micro-batches and emits one recommendation per request;
 * model pointers arrive on the broadcast input 2. A batch is scored when the requests waiting for
 * one model reach {@code batchSize} (so in an experiment each arm's model still scores full
 * batches, see {@link #batchGroup}), when its oldest request has waited {@code maxDelayMillis}, before a
 * checkpoint barrier (so no request is ever only in memory at a checkpoint) and at end of input.
 * Which model serves which request is {@link ServedModels}' (the default line, other lines, arms
 * pinned to a version); announced models load in the background ({@link BackgroundModelLoads}) and
 * swap in between two records. A pointer whose artifact fails any check is refused and counted; the
 * old model keeps serving. This class batches, emits, and keeps the served pointers in Flink state;
 * the model math lives in {@link BatchRecommender}. With {@code lmrec.rerank.top-n} set, each
 * request's SRS top N is re-ordered by the served model's LLM-TRSR ranker ({@link Reranking})
 * before the top-k is emitted. The replay job's subclass
 * ({@code org.lmrec.stream.replay.ReplayScoringOperator}) replaces {@link #openModels}, {@link
 * #pointer} and {@link #score}.
 */
public class ScoringOperator extends AbstractStreamOperator<Recommendation>
    implements TwoInputStreamOperator<ScoringRequest, ModelPointer, Recommendation>, BoundedMultiInput, ProcessingTimeCallback {
  private static final long serialVersionUID = 1L;

  /** Version reported while no model has been loaded yet. */
  public static final String NO_MODEL = ServedModels.NO_MODEL;
  /** The name by which an experiment arm asks for the default line (pointers without a line). */
  public static final String DEFAULT_LINE = ServedModels.DEFAULT_LINE;
  /** Dead letters of requests or pointers whose handling failed unexpectedly. */
  public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("scorer-failures") {};
  /**
   * The outcome join's one input: each request's triggering interaction of a user in an experiment
   * (a step, handed on as the request arrives) and each recommendation served in an experiment (an
   * exposure). Partitioned by user like this operator's input, so the join chains here.
   */
  public static final OutputTag<OutcomeInput> OUTCOME_INPUTS = new OutputTag<>("outcome-inputs", new org.lmrec.stream.experiment.OutcomeInputTypeInfo());
  static final String OPERATOR = "scorer";
  /**
   * Per served version, 1 while it is the default line's model and 0 after, under the variable
   * {@value #MODEL_VERSION_VARIABLE}: Prometheus drops string gauges ({@code
   * lmrecServingModelVersion} reads 0 there), a label carries the version.
   */
  public static final String SERVING_MODEL = "lmrecServingModel";
  public static final String MODEL_VERSION_VARIABLE = "model_version";
  /** Announced models whose load failed a check, timed out or hit the loader cap (a subset of lmrecModelRefusals). */
  public static final String MODEL_LOAD_FAILURES = "lmrecModelLoadFailures";

  private final ModelPointer initialModel;
  private final ModelLimits limits;
  private final ModelLoading loading;
  private final int topK;
  private final int batchSize;
  private final long maxDelayMillis;
  private final RerankSettings rerank;
  /** Exact (the default) or HNSW top-K; an HNSW graph is built in the background load of each model. */
  private final TopKSearch search;

  private transient ListState<ModelPointer> servedPointerState;
  /** Announcements still loading at a checkpoint; a restored task loads them again. */
  private transient ListState<ModelPointer> pendingPointerState;
  private transient ServedModels<BatchRecommender> models;
  private transient BackgroundModelLoads loads;
  private transient List<ScoringRequest> pending;
  /** Requests waiting, per {@link #batchGroup}: the batch is scored when one group is full. */
  private transient Map<String, int[]> waitingPerGroup;
  private transient boolean flushTimerSet;

  private transient Counter recommendationsOut;
  private transient Counter unknownItems;
  private transient Counter unscored;
  private transient Counter refusals;
  private transient Counter swaps;
  private transient Counter unchanged;
  private transient Counter armModelsMissing;
  private transient Counter failures;
  private transient Counter loadFailures;
  /** Versions that have a {@value #SERVING_MODEL} gauge already (one gauge per version and subtask). */
  private transient Set<String> versionGauges;
  private transient Histogram latency;
  private transient Histogram batchSizes;
  /** The LLM-TRSR re-rank step; null when off. */
  private transient Reranking reranking;

  /**
   * The live job's scorer.
   *
   * @param initialModel served until a pointer arrives; may be null (requests then get empty lists)
   * @param limits where announced artifacts may be loaded from (the initial model's too), how
   *     many models beyond the default line's are kept, and how large an artifact may be
   */
  public ScoringOperator(ModelPointer initialModel, ModelLimits limits, int topK, int batchSize, long maxDelayMillis) {
    this(initialModel, limits, ModelLoading.defaults(), topK, batchSize, maxDelayMillis);
  }

  /** For tests: a live scorer that loads from anywhere. */
  ScoringOperator(ModelPointer initialModel, int topK, int batchSize, long maxDelayMillis) {
    this(initialModel, ModelLimits.unrestricted(), topK, batchSize, maxDelayMillis);
  }

  /** The live job's scorer, loading announced models in the background as {@code loading} says. */
  public ScoringOperator(ModelPointer initialModel, ModelLimits limits, ModelLoading loading, int topK, int batchSize, long maxDelayMillis) {
    this(initialModel, limits, loading, topK, batchSize, maxDelayMillis, RerankSettings.off());
  }

  /** The live job's scorer, re-ranking each request's SRS top N with the served model's LLM-TRSR ranker as {@code rerank} says. */
  public ScoringOperator(
      ModelPointer initialModel, ModelLimits limits, ModelLoading loading, int topK, int batchSize, long maxDelayMillis, RerankSettings rerank) {
    this(initialModel, limits, loading, topK, batchSize, maxDelayMillis, rerank, TopKSearch.exact());
  }

  /** The live job's scorer, finding each request's top K as {@code search} says (exact, or on an HNSW graph built per model). */
  public ScoringOperator(ModelPointer initialModel, ModelLimits limits, ModelLoading loading, int topK, int batchSize, long maxDelayMillis,
      RerankSettings rerank, TopKSearch search) {
    rerank.checkAgainst(topK);
    if (topK <= 0 || batchSize <= 0 || maxDelayMillis < 0) {
      throw new IllegalArgumentException("topK and batchSize must be positive and maxDelayMillis not negative");
    }
    this.initialModel = initialModel;
    this.limits = limits;
    this.loading = loading;
    this.topK = topK;
    this.batchSize = batchSize;
    this.maxDelayMillis = maxDelayMillis;
    this.rerank = rerank;
    this.search = search;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // Union state: every subtask sees every stored pointer and takes the newest, at any parallelism.
    var store = context.getOperatorStateStore();
    servedPointerState = store.getUnionListState(new ListStateDescriptor<>("served-model-pointer", ModelPointer.class));
    pendingPointerState = store.getUnionListState(new ListStateDescriptor<>("pending-model-pointers", ModelPointer.class));
    models = new ServedModels<>(limits.maxExtraModels(), m -> m.model().version(), m -> m.model().numItems(),
        new ServedModels.Counts(() -> swaps.inc(), () -> refusals.inc(), () -> unchanged.inc(), () -> armModelsMissing.inc()));
    models.restore(servedPointerState.get(), pendingPointerState.get());
  }

  @Override
  public void open() throws Exception {
    super.open();
    pending = new ArrayList<>(batchSize);
    waitingPerGroup = new HashMap<>();
    var metrics = getMetricGroup();
    recommendationsOut = metrics.counter("lmrecRecommendationsOut");
    unknownItems = metrics.counter("lmrecUnknownItems");
    unscored = metrics.counter("lmrecUnscoredRequests");
    refusals = metrics.counter("lmrecModelRefusals");
    swaps = metrics.counter("lmrecModelSwaps");
    // A pointer equal to the one a line already serves (a redelivery) changes nothing; counted so
    // that every announcement is either a swap, a refusal or this.
    unchanged = metrics.counter("lmrecModelAnnouncementsUnchanged");
    armModelsMissing = metrics.counter("lmrecArmModelMissing");
    failures = metrics.counter("lmrecRecordFailures");
    latency = metrics.histogram("lmrecLatencyMillis", new DescriptiveStatisticsHistogram(10_000));
    batchSizes = metrics.histogram("lmrecBatchSize", new DescriptiveStatisticsHistogram(1_000));
    metrics.gauge("lmrecServingModelVersion", this::servingVersion);
    loadFailures = metrics.counter(MODEL_LOAD_FAILURES);
    versionGauges = new HashSet<>();
    openModels();
    trackServingVersion();
  }

  /**
   * Registers the {@value #SERVING_MODEL} gauge of the version serving now, once per version: the
   * gauges of earlier versions stay and read 0. Called when a model swaps in and before each batch
   * (the replay subclass swaps its own way), so the check is one set lookup per batch.
   */
  private void trackServingVersion() {
    String version = servingVersion();
    if (NO_MODEL.equals(version) || !versionGauges.add(version)) return;
    getMetricGroup().addGroup(MODEL_VERSION_VARIABLE, version).gauge(SERVING_MODEL, () -> version.equals(servingVersion()) ? 1 : 0);
  }

  /** Starts the background loads and serves the restored models, or the initial one (see {@link ServedModels#start}). */
  protected void openModels() throws Exception {
    if (rerank.enabled()) reranking = Reranking.onnx(rerank, getMetricGroup());
    loads = new BackgroundModelLoads(p -> ModelLoader.load(p, limits, this::recommender), new Swaps(),
        getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex()), getProcessingTimeService(), loading);
    getMetricGroup().gauge("lmrecModelLoadsSuperseded", loads::superseded);
    getMetricGroup().gauge("lmrecModelLoadTimeouts", loads::timedOut);
    getMetricGroup().gauge("lmrecModelLoaderThreads", loads::threads);
    models.start(loads, initialModel);
  }

  /** The served form of a loaded artifact: with re-rank on, it scores the N candidates and opens the model's ranker. */
  private BatchRecommender recommender(org.lmrec.artifact.LoadedArtifact artifact) {
    if (reranking == null) return new BatchRecommender(ServingModel.fromArtifact(artifact, search), topK);
    BatchRecommender model = new BatchRecommender(ServingModel.fromArtifact(artifact, search), reranking.candidates());
    reranking.attach(model, artifact);
    return model;
  }

  /** The re-rank step, null when off (tests). */
  Reranking reranking() {
    return reranking;
  }

  /** The default line's served model, null before one loads (tests). */
  BatchRecommender servedModel() {
    return models.served();
  }

  /** Whether announced models are still loading: tests wait for this. */
  boolean loadsPending() {
    return loads != null && !loads.idle();
  }

  /** Pointers refused so far ({@code lmrecModelRefusals}). */
  long refusalCount() {
    return refusals.getCount();
  }

  /** Announced loads that failed ({@value #MODEL_LOAD_FAILURES}). */
  long loadFailureCount() {
    return loadFailures.getCount();
  }

  /** Versions that have a {@value #SERVING_MODEL} gauge. */
  Set<String> versionsWithGauge() {
    return Set.copyOf(versionGauges);
  }

  public String servingVersion() {
    return models.servingVersion();
  }

  @Override
  public void processElement1(StreamRecord<ScoringRequest> record) {
    ScoringRequest r = record.getValue();
    if (r.stepOnly) {
      // Not scored, so it reaches the outcome join alone; a scored one goes with its exposure (emit).
      if (r.inExperiment()) outcomeStep(r);
      return;
    }
    pending.add(r);
    if (++waitingPerGroup.computeIfAbsent(batchGroup(r), g -> new int[1])[0] >= batchSize) {
      flush();
    } else if (!flushTimerSet) {
      flushTimerSet = true;
      long now = getProcessingTimeService().getCurrentProcessingTime();
      getProcessingTimeService().registerTimer(now + maxDelayMillis, this);
    }
  }

  @Override
  public void processElement2(StreamRecord<ModelPointer> record) {
    ModelPointer pointer = record.getValue();
    try {
      pointer(pointer);
    } catch (RuntimeException e) {
      refusals.inc();
      failures.inc();
      output.collect(FAILED, new StreamRecord<>(RecordFailures.deadLetter(OPERATOR, String.valueOf(pointer).getBytes(StandardCharsets.UTF_8), null, null, -1, -1, e,
          System.currentTimeMillis())));
    }
  }

  /** A pointer from input 2; anything it throws makes it a dead letter. */
  protected void pointer(ModelPointer pointer) {
    models.announce(pointer);
  }

  /**
   * Answers what is waiting before the watermark moves on: the outcome join's steps (and
   * exposures) of interactions at or before it must reach the join before the watermark does, or
   * a horizon closed by time could miss them.
   */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void onProcessingTime(long time) {
    flushTimerSet = false;
    flush();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    servedPointerState.update(models.servedPointers());
    pendingPointerState.update(models.loadingPointers());
  }

  @Override
  public void endInput(int inputId) {
    if (inputId == 1) flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    if (loads != null) loads.close();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    if (loads != null) loads.close();
    if (reranking != null) reranking.close();
    super.close();
  }

  /** Swaps a loaded model in, on the task thread, or logs and counts a refusal. */
  private final class Swaps implements BackgroundModelLoads.Listener {
    @Override
    public void loaded(BackgroundModelLoads.Load load, BatchRecommender model) {
      // Requests that arrived before the swap are answered by the model that was serving.
      flush();
      models.loaded(load.slot, load.pointer, model, load.elapsedMillis());
      if (reranking != null) reranking.retain(models.held());
      trackServingVersion();
    }

    @Override
    public void refused(BackgroundModelLoads.Load load, String reason) {
      loadFailures.inc();
      models.refused(load.slot, load.pointer, reason);
    }
  }

  protected final int topK() {
    return topK;
  }

  protected final void countSwap() {
    swaps.inc();
  }

  protected final void countRefusal() {
    refusals.inc();
  }

  /**
   * Which model a request will most likely be scored by, as a grouping for the batch size only:
   * the default line ({@code ""}), or its experiment arm's line or pinned version. With a 50/50
   * experiment a flush at {@code batchSize} requests in all gave each model half a batch, and the
   * catalogue product and encoder run better on full ones; the batch is still split by the model
   * {@link #score} picks when it is scored, so a wrong guess costs batch size, never correctness.
   * The whole batch is flushed together, which keeps a user's recommendations in arrival order.
   * (A line and a version of the same name share a group: a guess, not a routing.)
   */
  protected String batchGroup(ScoringRequest r) {
    if (r.experimentId == null) return "";
    if (r.modelLine != null) return ServedModels.isDefaultLine(r.modelLine) ? "" : r.modelLine;
    return r.modelVersion == null ? "" : r.modelVersion;
  }

  private void flush() {
    if (pending.isEmpty()) return;
    trackServingVersion();
    List<ScoringRequest> batch = pending;
    pending = new ArrayList<>(batchSize);
    waitingPerGroup.clear();
    batchSizes.update(batch.size());
    score(batch);
  }

  /** Scores a batch: each request with its arm's model, else the default line's ({@link ServedModels#modelFor}). */
  protected void score(List<ScoringRequest> batch) {
    scoreByModel(batch, models::modelFor);
  }

  /**
   * Scores a batch split by the model {@code modelOf} picks for each request, one product per model
   * (models by identity, in first-seen order); a request with no model gets an empty list.
   */
  protected final void scoreByModel(List<ScoringRequest> batch, Function<ScoringRequest, BatchRecommender> modelOf) {
    Map<BatchRecommender, List<ScoringRequest>> byModel = new LinkedHashMap<>();
    for (ScoringRequest r : batch) {
      BatchRecommender m;
      try {
        m = modelOf.apply(r);
      } catch (RuntimeException e) {
        fail(r, e);
        continue;
      }
      if (m == null) {
        unscored.inc();
        try {
          emit(r, List.of(), NO_MODEL);
        } catch (RuntimeException e) {
          fail(r, e);
        }
      } else {
        byModel.computeIfAbsent(m, k -> new ArrayList<>()).add(r);
      }
    }
    byModel.forEach((m, requests) -> emitScored(requests, m));
  }

  /**
   * Scores a batch with one model. Should the batch fail, each request is scored alone, so that
   * a request that cannot be scored becomes a dead letter and the others are still answered.
   */
  protected final void emitScored(List<ScoringRequest> batch, BatchRecommender scorer) {
    List<RankedItems> answers;
    List<String[]> histories = histories(batch);
    try {
      answers = scorer.recommend(histories);
    } catch (RuntimeException batchFailed) {
      if (batch.size() == 1) {
        fail(batch.get(0), batchFailed);
        return;
      }
      for (ScoringRequest r : batch) emitScored(List.of(r), scorer);
      return;
    }
    if (reranking != null) answers = reranking.apply(histories, answers, scorer);
    emitAnswers(batch, answers, scorer);
  }

  private static List<String[]> histories(List<ScoringRequest> batch) {
    List<String[]> histories = new ArrayList<>(batch.size());
    for (ScoringRequest r : batch) histories.add(r.history);
    return histories;
  }

  /** A request that could not be scored: a dead letter naming its triggering event, and no recommendation. */
  private void fail(ScoringRequest r, RuntimeException e) {
    failures.inc();
    if (r.inExperiment()) outcomeStep(r); // no exposure, but the interaction still counts for the user's earlier ones
    String what = "request of user " + r.userId + " triggered by event " + r.eventId;
    output.collect(FAILED, new StreamRecord<>(RecordFailures.deadLetter(OPERATOR, what.getBytes(StandardCharsets.UTF_8),
        r.userId == null ? null : r.userId.getBytes(StandardCharsets.UTF_8), null, -1, -1, e, System.currentTimeMillis())));
  }

  private void emitAnswers(List<ScoringRequest> batch, List<RankedItems> answers, BatchRecommender scorer) {
    String version = scorer.model().version();
    for (int i = 0; i < batch.size(); i++) {
      RankedItems answer = answers.get(i);
      unknownItems.inc(answer.unknownItems());
      int shown = Math.min(topK, answer.size()); // with re-rank on, the model answers with N > top-k candidates
      List<ScoredItem> items = new ArrayList<>(shown);
      for (int j = 0; j < shown; j++) items.add(new ScoredItem(answer.itemIds()[j], answer.scores()[j]));
      try {
        emit(batch.get(i), items, version);
      } catch (RuntimeException e) {
        fail(batch.get(i), e);
      }
    }
  }

  private void emit(ScoringRequest r, List<ScoredItem> items, String version) {
    long now = System.currentTimeMillis();
    long latencyMillis = Math.max(0, now - r.receivedAt);
    latency.update(latencyMillis);
    recommendationsOut.inc();
    Recommendation rec =
        Recommendation.newBuilder()
            .setTriggeringEventId(r.eventId)
            .setUserId(r.userId)
            .setItems(items)
            .setModelVersion(version)
            .setExperimentArm(r.arm)
            .setExperimentId(r.experimentId)
            .setProducedAt(Instant.ofEpochMilli(now))
            .setLatencyMillis(latencyMillis)
            .build();
    output.collect(new StreamRecord<>(rec, r.eventTime));
    if (r.inExperiment()) output.collect(OUTCOME_INPUTS, new StreamRecord<>(OutcomeInput.answered(rec, triggerItem(r), r.eventTime), r.eventTime));
  }

  private void outcomeStep(ScoringRequest r) {
    output.collect(OUTCOME_INPUTS, new StreamRecord<>(OutcomeInput.step(r.userId, r.eventId, triggerItem(r), r.eventTime), r.eventTime));
  }

  /** The request's interaction item; a request from before the field existed has it last in its history. */
  private static String triggerItem(ScoringRequest r) {
    if (r.itemId != null) return r.itemId;
    return r.history == null || r.history.length == 0 ? null : r.history[r.history.length - 1];
  }
}
