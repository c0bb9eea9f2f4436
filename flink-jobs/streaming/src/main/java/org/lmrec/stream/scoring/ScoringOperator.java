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
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InputSelectable;
import org.apache.flink.streaming.api.operators.InputSelection;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.util.OutputTag;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.RankedItems;
import org.lmrec.flink.deadletter.RecordFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores scoring requests (input 1) in micro-batches with the current model, and swaps the model
 * when a pointer arrives on the broadcast input 2. That is the live job's {@link
 * ModelRouting#LATEST_ANNOUNCED}; the replay job uses the same operator with {@link
 * ModelRouting#AS_SERVED} or {@link ModelRouting#SIDE_BY_SIDE}, which keep every announced model
 * loaded and read all pointers before the first request. A batch is scored when it reaches
 * {@code batchSize} requests, when its oldest request has waited {@code maxDelayMillis}, before a
 * checkpoint barrier (so no request is ever only in memory at a checkpoint) and at end of input.
 * A pointer whose artifact fails any check is refused and counted; the old model keeps serving.
 * The live routing loads announced models in the background ({@link BackgroundModelLoads}) and
 * swaps when a load has finished, between two records; the replay routings load on the task thread.
 * The model math lives in {@link BatchRecommender}; this class only batches, swaps and emits.
 */
public class ScoringOperator extends AbstractStreamOperator<Recommendation>
    implements TwoInputStreamOperator<ScoringRequest, ModelPointer, Recommendation>, BoundedMultiInput, ProcessingTimeCallback {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ScoringOperator.class);

  /** Version reported while no model has been loaded yet. */
  public static final String NO_MODEL = "none";
  /** The name by which an experiment arm asks for the default line (pointers without a line). */
  public static final String DEFAULT_LINE = "main";
  /** Dead letters of requests or pointers whose handling failed unexpectedly. */
  public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("scorer-failures") {};
  static final String OPERATOR = "scorer";
  /** Pointers kept in state for arms pinned to a version, beyond the newest of each line. */
  static final int KNOWN_VERSIONS_KEPT = 20;

  private final ModelRouting routing;
  private final ModelPointer initialModel;
  private final ModelLimits limits;
  private final ModelLoading loading;
  private final int topK;
  private final int batchSize;
  private final long maxDelayMillis;

  private transient ListState<ModelPointer> servedPointerState;
  /** Announcements still loading at a checkpoint; a restored task loads them again. */
  private transient ListState<ModelPointer> pendingPointerState;
  private transient List<ModelPointer> restoredPending;
  private transient BackgroundModelLoads loads;
  private transient ModelPointer servedPointer;
  private transient BatchRecommender recommender;
  private transient List<ScoringRequest> pending;
  private transient boolean flushTimerSet;
  /** Other lines than the default: the newest accepted pointer of each, and its model. */
  private transient Map<String, ModelPointer> linePointers;
  private transient Map<String, BatchRecommender> lineModels;
  /** Every accepted pointer by version (newest last), so an arm pinned to a version can load it. */
  private transient LinkedHashMap<String, ModelPointer> knownVersions;
  private transient Map<String, BatchRecommender> pinnedModels;
  private transient Set<String> warnedArms;
  /** Replay routings: every model announced so far, by announcement time then version. */
  private transient ReplayModels replayModels;
  private transient boolean pointersEnded;
  /** Per line, the newest accepted announcement: an older pointer is refused (signed replays of old versions). */
  private transient AnnouncementOrder order;

  private transient Counter recommendationsOut;
  private transient Counter unknownItems;
  private transient Counter unscored;
  private transient Counter refusals;
  private transient Counter swaps;
  private transient Counter unchanged;
  private transient Counter armModelsMissing;
  private transient Counter failures;
  private transient Histogram latency;
  private transient Histogram batchSizes;

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

  /** The live job's scorer, loading announced models in the background as {@code loading} says. */
  public ScoringOperator(ModelPointer initialModel, ModelLimits limits, ModelLoading loading, int topK, int batchSize, long maxDelayMillis) {
    this(ModelRouting.LATEST_ANNOUNCED, initialModel, limits, loading, topK, batchSize, maxDelayMillis);
  }

  /** For tests: a live scorer that loads from anywhere. */
  ScoringOperator(ModelPointer initialModel, int topK, int batchSize, long maxDelayMillis) {
    this(initialModel, ModelLimits.unrestricted(), topK, batchSize, maxDelayMillis);
  }

  /** For the replay job: {@link ModelRouting#AS_SERVED} or {@link ModelRouting#SIDE_BY_SIDE}, models from input 2 only. */
  public static ScoringOperator forReplay(ModelRouting routing, int topK, int batchSize) {
    if (!routing.readsPointersFirst()) throw new IllegalArgumentException("replay scoring needs AS_SERVED or SIDE_BY_SIDE, not " + routing);
    return new PointersFirst(routing, topK, batchSize);
  }

  /**
   * The replay's scorer: the same operator, reading input 2 (the pointers) to its end before input
   * 1. Only the replay gets this: Flink refuses checkpointing for operators that choose their
   * inputs, and the live job checkpoints.
   */
  static final class PointersFirst extends ScoringOperator implements InputSelectable {
    private static final long serialVersionUID = 1L;

    PointersFirst(ModelRouting routing, int topK, int batchSize) {
      super(routing, null, ModelLimits.unrestricted(), ModelLoading.defaults(), topK, batchSize, 0);
    }

    @Override
    public InputSelection nextSelection() {
      return pointersEnded() ? InputSelection.ALL : InputSelection.SECOND;
    }
  }

  boolean pointersEnded() {
    return pointersEnded;
  }

  private ScoringOperator(ModelRouting routing, ModelPointer initialModel, ModelLimits limits, ModelLoading loading, int topK, int batchSize,
      long maxDelayMillis) {
    if (topK <= 0 || batchSize <= 0 || maxDelayMillis < 0) {
      throw new IllegalArgumentException("topK and batchSize must be positive and maxDelayMillis not negative");
    }
    this.routing = routing;
    this.initialModel = initialModel;
    this.limits = limits;
    this.loading = loading;
    this.topK = topK;
    this.batchSize = batchSize;
    this.maxDelayMillis = maxDelayMillis;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // Union state: every subtask sees every stored pointer and takes the newest, at any parallelism.
    servedPointerState =
        context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("served-model-pointer", ModelPointer.class));
    ModelPointer restored = null;
    linePointers = new HashMap<>();
    knownVersions = new LinkedHashMap<>();
    List<ModelPointer> stored = new ArrayList<>();
    order = new AnnouncementOrder();
    for (ModelPointer p : servedPointerState.get()) {
      stored.add(p);
      order.accepted(p);
    }
    stored.sort(java.util.Comparator.comparingLong(p -> p.announcedAt));
    for (ModelPointer p : stored) {
      knownVersions.remove(p.version);
      knownVersions.put(p.version, p);
      if (isDefaultLine(p.line)) {
        restored = p; // the newest default-line pointer
      } else {
        linePointers.put(p.line, p);
      }
    }
    servedPointer = restored;
    pendingPointerState =
        context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("pending-model-pointers", ModelPointer.class));
    restoredPending = new ArrayList<>();
    for (ModelPointer p : pendingPointerState.get()) restoredPending.add(p);
    restoredPending.sort(java.util.Comparator.comparingLong(p -> p.announcedAt));
  }

  private static boolean isDefaultLine(String line) {
    return line == null || line.equals(DEFAULT_LINE);
  }

  @Override
  public void open() throws Exception {
    super.open();
    pending = new ArrayList<>(batchSize);
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
    lineModels = new HashMap<>();
    pinnedModels = new HashMap<>();
    warnedArms = new HashSet<>();
    latency = metrics.histogram("lmrecLatencyMillis", new DescriptiveStatisticsHistogram(10_000));
    batchSizes = metrics.histogram("lmrecBatchSize", new DescriptiveStatisticsHistogram(1_000));
    metrics.gauge("lmrecServingModelVersion", this::servingVersion);

    if (routing.readsPointersFirst()) {
      replayModels = new ReplayModels(topK);
      return;
    }
    loads = new BackgroundModelLoads(p -> new BatchRecommender(ModelLoader.load(p, limits), topK), new Swaps(),
        getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex()), getProcessingTimeService(), loading);
    metrics.gauge("lmrecModelLoadsSuperseded", loads::superseded);
    metrics.gauge("lmrecModelLoadTimeouts", loads::timedOut);
    metrics.gauge("lmrecModelLoaderThreads", loads::threads);
    restoreModels();
  }

  /**
   * The default line's model is loaded before the first request (waiting up to the load timeout),
   * so a restored task serves what it served; other lines and the announcements that were still
   * loading at the checkpoint load in the background.
   */
  private void restoreModels() throws InterruptedException {
    ModelPointer restored = servedPointer;
    servedPointer = null;
    if (restored != null) {
      loads.start(DEFAULT_SLOT, restored);
      loads.await(DEFAULT_SLOT);
    }
    if (recommender == null && !loads.isPending(DEFAULT_SLOT) && initialModel != null) {
      if (restored != null) LOG.warn("restored model pointer could not be loaded; falling back to the configured initial model");
      loads.start(DEFAULT_SLOT, initialModel);
      loads.await(DEFAULT_SLOT);
    }
    Map<String, ModelPointer> lines = new HashMap<>(linePointers);
    linePointers.clear(); // set again as each line's model arrives
    for (ModelPointer p : lines.values()) startLine(p);
    for (ModelPointer p : restoredPending) pointer(p); // oldest first: the newest of each line wins
    restoredPending = List.of();
  }

  /** Slot of the default line's model in {@link BackgroundModelLoads}. */
  static final String DEFAULT_SLOT = "line " + DEFAULT_LINE;

  private static String lineSlot(String line) {
    return isDefaultLine(line) ? DEFAULT_SLOT : "line " + line;
  }

  private static String versionSlot(String version) {
    return "version " + version;
  }

  /** Whether announced models are still loading: tests wait for this. */
  boolean loadsPending() {
    return loads != null && !loads.idle();
  }

  /** Pointers refused so far ({@code lmrecModelRefusals}). */
  long refusalCount() {
    return refusals.getCount();
  }

  public String servingVersion() {
    return recommender == null ? NO_MODEL : recommender.model().version();
  }

  @Override
  public void processElement1(StreamRecord<ScoringRequest> record) {
    if (routing.readsPointersFirst() && !pointersEnded) {
      throw new IllegalStateException("a request reached the " + routing + " scorer before all model pointers: the look-ahead guard would not hold");
    }
    pending.add(record.getValue());
    if (pending.size() >= batchSize) {
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

  private void pointer(ModelPointer pointer) {
    if (routing.readsPointersFirst()) {
      try {
        replayModels.add(pointer);
        swaps.inc();
      } catch (ModelLoader.ModelRefusedException e) {
        refusals.inc();
        LOG.error("{}; replaying without it", e.getMessage());
      }
      return;
    }
    String older = order.refusal(pointer).orElse(null);
    if (older != null) {
      refusals.inc();
      LOG.error("{}; still serving {}", older, servingVersion());
      return;
    }
    ModelPointer loading = loads.pendingPointer(lineSlot(pointer.line));
    if (loading != null && pointer.announcedAt < loading.announcedAt) {
      // A replayed older announcement must not supersede a newer one still loading.
      refusals.inc();
      LOG.error("refused {}: announced before {}, which is loading", pointer, loading);
      return;
    }
    if (!isDefaultLine(pointer.line)) {
      if (pointer.equals(linePointers.get(pointer.line))) {
        unchanged.inc();
        loads.cancel(lineSlot(pointer.line), "line " + pointer.line + " announced the model it serves again");
        return;
      }
      startLine(pointer);
      return;
    }
    if (pointer.equals(servedPointer)) {
      unchanged.inc();
      loads.cancel(DEFAULT_SLOT, "the model serving was announced again");
      return;
    }
    loads.start(DEFAULT_SLOT, pointer);
  }

  /** Starts loading the newest version of a line other than the default, within the cap on extra models. */
  private void startLine(ModelPointer pointer) {
    String slot = lineSlot(pointer.line);
    if (!lineModels.containsKey(pointer.line) && !loads.isPending(slot) && !roomForAnotherModel(pointer, "line " + pointer.line + " gets no model")) {
      return;
    }
    loads.start(slot, pointer);
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
    // The default line's pointer, the newest of every other line, and the last few versions seen
    // (for arms pinned to a version), each once.
    LinkedHashMap<String, ModelPointer> keep = new LinkedHashMap<>();
    List<ModelPointer> known = new ArrayList<>(knownVersions.values());
    for (ModelPointer p : known.subList(Math.max(0, known.size() - KNOWN_VERSIONS_KEPT), known.size())) keep.put(p.version + "@" + p.line, p);
    for (ModelPointer p : linePointers.values()) keep.put(p.version + "@" + p.line, p);
    if (servedPointer != null) keep.put(servedPointer.version + "@" + servedPointer.line, servedPointer);
    servedPointerState.update(new ArrayList<>(keep.values()));
    List<ModelPointer> stillLoading = new ArrayList<>();
    if (loads != null) {
      for (BackgroundModelLoads.Load l : loads.pendingLoads()) {
        if (!l.slot.startsWith("version ")) stillLoading.add(l.pointer); // pinned versions load again on their next request
      }
    }
    pendingPointerState.update(stillLoading);
  }

  @Override
  public void endInput(int inputId) {
    if (inputId == 1) flush();
    if (inputId == 2) pointersEnded = true;
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
    super.close();
  }

  /** Swaps a loaded model in, on the task thread, or logs and counts a refusal. */
  private final class Swaps implements BackgroundModelLoads.Listener {
    @Override
    public void loaded(BackgroundModelLoads.Load load, BatchRecommender model) {
      // Requests that arrived before the swap are answered by the model that was serving.
      flush();
      ModelPointer pointer = load.pointer;
      if (load.slot.startsWith("version ")) {
        pinnedModels.put(pointer.version, model);
        LOG.info("arms pinned to {} now served ({} items, loaded and verified in {} ms)", pointer, model.model().numItems(), load.elapsedMillis());
        return;
      }
      if (isDefaultLine(pointer.line)) {
        recommender = model;
        servedPointer = pointer;
      } else {
        lineModels.put(pointer.line, model);
        linePointers.put(pointer.line, pointer);
      }
      remember(pointer);
      order.accepted(pointer);
      swaps.inc();
      LOG.info("{} now serves {} ({} items, loaded and verified in {} ms)", isDefaultLine(pointer.line) ? "the default line" : "line " + pointer.line,
          pointer, model.model().numItems(), load.elapsedMillis());
    }

    @Override
    public void refused(BackgroundModelLoads.Load load, String reason) {
      refusals.inc();
      ModelPointer pointer = load.pointer;
      String consequence;
      if (load.slot.startsWith("version ")) {
        knownVersions.remove(pointer.version);
        consequence = "arms pinned to it get the default model";
      } else if (isDefaultLine(pointer.line)) {
        consequence = "still serving " + servingVersion();
      } else {
        consequence = "line " + pointer.line + " keeps " + (linePointers.containsKey(pointer.line) ? linePointers.get(pointer.line).version : "no model");
      }
      LOG.error("{}; {}", reason, consequence);
    }
  }

  /** False (refused, counted, logged) when the models beyond the default line's are at their cap. */
  private boolean roomForAnotherModel(ModelPointer pointer, String consequence) {
    int extra = lineModels.size() + pinnedModels.size() + newExtraModelsLoading();
    if (extra < limits.maxExtraModels()) return true;
    refusals.inc();
    LOG.error("refused {}: {} models besides the default line's are loaded or loading already, the cap (lmrec.models.max-extra-models); {}",
        pointer, extra, consequence);
    return false;
  }

  /** Loads under way that will add a model besides the default line's, not replace one. */
  private int newExtraModelsLoading() {
    int n = 0;
    for (BackgroundModelLoads.Load l : loads.pendingLoads()) {
      if (l.slot.startsWith("version ") || (!l.slot.equals(DEFAULT_SLOT) && !lineModels.containsKey(l.pointer.line))) n++;
    }
    return n;
  }

  private void remember(ModelPointer pointer) {
    knownVersions.remove(pointer.version);
    knownVersions.put(pointer.version, pointer);
  }

  /**
   * The model of a request's experiment arm: the newest version of its line, or its pinned version
   * (loaded in the background on first use, from a pointer seen on the model-update topic); null
   * when not available (yet).
   */
  private BatchRecommender armModel(ScoringRequest r) {
    if (r.modelLine != null) return isDefaultLine(r.modelLine) ? recommender : lineModels.get(r.modelLine);
    if (r.modelVersion == null) return null;
    if (recommender != null && recommender.model().version().equals(r.modelVersion)) return recommender;
    for (BatchRecommender m : lineModels.values()) {
      if (m.model().version().equals(r.modelVersion)) return m;
    }
    BatchRecommender pinned = pinnedModels.get(r.modelVersion);
    ModelPointer pointer = knownVersions.get(r.modelVersion);
    String slot = versionSlot(r.modelVersion);
    if (pinned == null && pointer != null && !loads.isPending(slot) && roomForAnotherModel(pointer, "arms pinned to it get the default model")) {
      loads.start(slot, pointer);
    }
    return pinned;
  }

  private void flush() {
    if (pending.isEmpty()) return;
    List<ScoringRequest> batch = pending;
    pending = new ArrayList<>(batchSize);
    batchSizes.update(batch.size());
    if (routing.readsPointersFirst()) {
      flushReplay(batch);
      return;
    }
    scoreByModel(batch, this::liveModel);
  }

  /** The live job's model for a request: its arm's, else the default line's; null when none is loaded. */
  private BatchRecommender liveModel(ScoringRequest r) {
    if (r.experimentId != null) {
      BatchRecommender m = armModel(r);
      if (m != null) return m;
      // Serving the arm another model would put a wrong observation into the experiment:
      // the user gets the default model and no exposure is recorded.
      armModelsMissing.inc();
      if (warnedArms.add(r.experimentId + "/" + r.arm)) {
        LOG.warn("experiment {} arm {}: its model ({}) is not available; its users get the default model and are not counted",
            r.experimentId, r.arm, r.modelLine != null ? "line " + r.modelLine : "version " + r.modelVersion);
      }
      r.inArm(null, null, null, null);
    }
    return recommender;
  }

  private void flushReplay(List<ScoringRequest> batch) {
    if (routing == ModelRouting.SIDE_BY_SIDE) {
      for (ReplayModels.Loaded m : replayModels.all()) emitScored(batch, m.recommender());
      return;
    }
    // AS_SERVED: the model serving at each request's event time.
    scoreByModel(batch, r -> {
      ReplayModels.Loaded m = replayModels.servingAt(r.eventTime);
      return m == null ? null : m.recommender();
    });
  }

  /**
   * Scores a batch split by the model {@code modelOf} picks for each request, one product per model
   * (models by identity, in first-seen order); a request with no model gets an empty list.
   */
  private void scoreByModel(List<ScoringRequest> batch, java.util.function.Function<ScoringRequest, BatchRecommender> modelOf) {
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
  private void emitScored(List<ScoringRequest> batch, BatchRecommender scorer) {
    List<RankedItems> answers;
    try {
      answers = scorer.recommend(histories(batch));
    } catch (RuntimeException batchFailed) {
      if (batch.size() == 1) {
        fail(batch.get(0), batchFailed);
        return;
      }
      for (ScoringRequest r : batch) emitScored(List.of(r), scorer);
      return;
    }
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
    String what = "request of user " + r.userId + " triggered by event " + r.eventId;
    output.collect(FAILED, new StreamRecord<>(RecordFailures.deadLetter(OPERATOR, what.getBytes(StandardCharsets.UTF_8),
        r.userId == null ? null : r.userId.getBytes(StandardCharsets.UTF_8), null, -1, -1, e, System.currentTimeMillis())));
  }

  private void emitAnswers(List<ScoringRequest> batch, List<RankedItems> answers, BatchRecommender scorer) {
    String version = scorer.model().version();
    for (int i = 0; i < batch.size(); i++) {
      RankedItems answer = answers.get(i);
      unknownItems.inc(answer.unknownItems());
      List<ScoredItem> items = new ArrayList<>(answer.size());
      for (int j = 0; j < answer.size(); j++) items.add(new ScoredItem(answer.itemIds()[j], answer.scores()[j]));
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
  }
}
