package org.lmrec.stream.state;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.experiment.Assignment;
import org.lmrec.experiment.ExperimentSet;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.flink.deadletter.DeadLetters;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.stream.experiment.ExperimentDefinitions;
import org.lmrec.stream.experiment.ExperimentLimits;
import org.lmrec.stream.experiment.ExperimentUpdate;
import org.lmrec.stream.scoring.ScoringRequest;

/**
 * Keeps each user's recent interactions in keyed state (RocksDB in production) and asks for a
 * recommendation after every accepted interaction of a scored type. Redelivered events are
 * ignored: those still in the window, and those that left it less than the dedup horizon ago.
 * Events too far behind the watermark become dead letters; accepted events also go to a side
 * output for the archive.
 *
 * <p>A/B experiments arrive on the broadcast input and live in broadcast state (id → JSON). Each
 * request is assigned here, from the user id and the experiment's salt alone ({@link
 * ExperimentSet#assign}), so the same user lands in the same arm on every subtask, after every
 * restart and in a replay. A definition that would move users between arms of a running
 * experiment is refused and dead-lettered with the reason, on {@link #REFUSED_DEFINITIONS}.
 *
 * <p>Any other failure while handling one record (of either input) dead-letters that record with
 * the reason and is counted ({@code lmrecRecordFailures}); it never fails the task, since the
 * record would fail it again after every restart.
 */
public final class SequenceStateFunction extends KeyedBroadcastProcessFunction<String, Interaction, ExperimentUpdate, ScoringRequest> {
  private static final long serialVersionUID = 1L;

  /**
   * Dead letters of interactions: those too far behind the watermark, and those the operator failed
   * on ({@code unexpected failure in user sequences: ...}).
   */
  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-dead-letters") {};
  /**
   * Dead letters of experiment definitions this operator refused ({@code experiment definition
   * refused: ...}), reported by subtask 0 only.
   */
  public static final OutputTag<DeadLetter> REFUSED_DEFINITIONS = new OutputTag<>("refused-experiment-definitions") {};
  public static final OutputTag<Interaction> ACCEPTED = new OutputTag<>("accepted-interactions") {};
  
  /** Name of the keyed state; part of the savepoint contract, never rename. */
  public static final String STATE_NAME = "user-sequence";
  /** The operator's name in dead letters. */
  static final String OPERATOR = "user sequences";
  /** The experiments the job knows, id → definition JSON; part of the savepoint contract. */
  public static final MapStateDescriptor<String, String> EXPERIMENTS =
      new MapStateDescriptor<>("experiments", String.class, String.class);

  private final int capacity;
  private final Duration ttl;
  private final long allowedLatenessMillis;
  private final Set<String> scoredTypes;
  private final Duration dedupHorizon;
  private final ExperimentLimits experimentLimits;

  private transient ValueState<UserSequenceState> state;
  /** Id hashes of this user's events that left the window, each kept for the dedup horizon; null when the horizon is zero. */
  private transient MapState<Long, Boolean> seen;
  private transient AvroCodec<InteractionEvent> codec;
  private transient Counter accepted;
  private transient Counter duplicates;
  private transient Counter late;
  private transient Counter experimentsRefused;
  private transient Counter experimentUpdatesApplied;
  private transient Counter failures;
  private transient ExperimentDefinitions definitions;

  /**
   * @param scoredTypes event type names that trigger scoring; empty or containing "ALL" = every type
   * @param ttl zero = no expiry
   */
  public SequenceStateFunction(int capacity, Duration ttl, Duration allowedLateness, List<String> scoredTypes) {
    this(capacity, ttl, allowedLateness, scoredTypes, Duration.ZERO);
  }

  /**
   * @param dedupHorizon how long the id of an event that left the window is still recognised as a
   *     redelivery (processing time after it left; set it to at least the source's replay horizon,
   *     e.g. the topic's retention); zero = only ids in the window
   */
  public SequenceStateFunction(int capacity, Duration ttl, Duration allowedLateness, List<String> scoredTypes, Duration dedupHorizon) {
    this(capacity, ttl, allowedLateness, scoredTypes, dedupHorizon, ExperimentLimits.DEFAULTS);
  }

  /** @param experimentLimits how many experiment definitions, and how large, the broadcast state may hold */
  public SequenceStateFunction(int capacity, Duration ttl, Duration allowedLateness, List<String> scoredTypes, Duration dedupHorizon,
      ExperimentLimits experimentLimits) {
    this.experimentLimits = experimentLimits;
    this.dedupHorizon = dedupHorizon;
    this.capacity = capacity;
    this.ttl = ttl;
    this.allowedLatenessMillis = allowedLateness.toMillis();
    Set<String> types = new HashSet<>();
    for (String t : scoredTypes) types.add(t.trim().toUpperCase(java.util.Locale.ROOT));
    this.scoredTypes = types.isEmpty() || types.contains("ALL") ? null : types;
  }

  public static ValueStateDescriptor<UserSequenceState> descriptor(Duration ttl) {
    // Compact, not Avro: read and rewritten on every interaction; Avro state migrates on restore.
    ValueStateDescriptor<UserSequenceState> d = new ValueStateDescriptor<>(STATE_NAME, new UserSequenceStateSerializer());
    if (!ttl.isZero()) {
      d.enableTimeToLive(
          StateTtlConfig.newBuilder(ttl)
              .updateTtlOnCreateAndWrite()
              .neverReturnExpired()
              .cleanupInRocksdbCompactFilter(1000)
              .build());
    }
    return d;
  }

  /** Name of the state of forgotten event ids; part of the savepoint contract, never rename. */
  public static final String SEEN_STATE_NAME = "seen-event-ids";

  static MapStateDescriptor<Long, Boolean> seenDescriptor(Duration horizon) {
    MapStateDescriptor<Long, Boolean> d = new MapStateDescriptor<>(SEEN_STATE_NAME, Long.class, Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(horizon).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
    return d;
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(descriptor(ttl));
    seen = dedupHorizon.isZero() ? null : getRuntimeContext().getMapState(seenDescriptor(dedupHorizon));
    codec = AvroCodec.of(InteractionEvent.class);
    var metrics = getRuntimeContext().getMetricGroup();
    accepted = metrics.counter("lmrecAcceptedInteractions");
    duplicates = metrics.counter("lmrecDuplicates");
    late = metrics.counter("lmrecLateDeadLetters");
    experimentsRefused = metrics.counter("lmrecExperimentsRefused");
    // Applied, or ignored as stale or a no-op: with the refusals, every experiment record is counted once per subtask.
    experimentUpdatesApplied = metrics.counter("lmrecExperimentUpdatesApplied");
    failures = metrics.counter("lmrecRecordFailures");
    definitions = new ExperimentDefinitions(experimentLimits);
  }

  @Override
  public void processBroadcastElement(ExperimentUpdate u, Context ctx, Collector<ScoringRequest> out) throws Exception {
    String refusal;
    try {
      refusal = definitions.apply(u, ctx.getBroadcastState(EXPERIMENTS), ctx.currentProcessingTime());
    } catch (RuntimeException e) {
      failures.inc();
      refusal = "unexpected failure in " + OPERATOR + ": " + RecordFailures.describe(e);
    }
    if (refusal != null) refuse(ctx, u, refusal);
    else experimentUpdatesApplied.inc();
  }

  private void refuse(Context ctx, ExperimentUpdate u, String reason) {
    experimentsRefused.inc();
    // Every subtask sees the broadcast definition and refuses it alike: one dead letter is enough.
    if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) return;
    byte[] raw = u.json == null ? new byte[0] : u.json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] key = u.id == null ? null : u.id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ctx.output(REFUSED_DEFINITIONS, DeadLetters.of(raw, key, u.sourceTopic, u.sourcePartition, u.sourceOffset,
        "experiment definition refused: " + reason, null, Integer.MAX_VALUE, System.currentTimeMillis()));
  }

  @Override
  public void processElement(Interaction e, ReadOnlyContext ctx, Collector<ScoringRequest> out) throws Exception {
    try {
      process(e, ctx, out);
    } catch (RuntimeException failure) {
      failures.inc();
      ctx.output(LATE, RecordFailures.deadLetter(OPERATOR, RecordFailures.bytesOf(codec, e::toEvent), null, e.sourceTopic, e.sourcePartition, e.sourceOffset, failure, System.currentTimeMillis()));
    }
  }

  private void process(Interaction e, ReadOnlyContext ctx, Collector<ScoringRequest> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    if (watermark != Long.MIN_VALUE && e.eventTime < watermark - allowedLatenessMillis) {
      late.inc();
      String reason = "late InteractionEvent: event time " + e.eventTime + " is " + (watermark - e.eventTime)
          + " ms behind the watermark " + watermark + ", more than the allowed lateness of " + allowedLatenessMillis
          + " ms (raw value re-encoded from the decoded event)";
      ctx.output(LATE, DeadLetters.of(codec.encode(e.toEvent()), null,
          e.sourceTopic, e.sourcePartition, e.sourceOffset, reason, null, Integer.MAX_VALUE, System.currentTimeMillis()));
      return;
    }
    UserSequence sequence = UserSequence.from(state.value(), capacity);
    long hash = EventIdHash.of(e.eventId);
    if (sequence.contains(hash) || (seen != null && seen.contains(hash))) {
      duplicates.inc();
      return;
    }
    sequence.add(e.itemId, e.eventTime, hash);
    if (seen != null && sequence.forgottenHash().isPresent()) seen.put(sequence.forgottenHash().getAsLong(), Boolean.TRUE);
    state.update(sequence.toState());
    accepted.inc();
    ctx.output(ACCEPTED, e);
    ExperimentSet known = definitions.known(ctx.getBroadcastState(EXPERIMENTS));
    Optional<Assignment> assignment = known.size() > 0 ? known.assign(e.userId, e.eventTime) : Optional.empty();
    if (scoredTypes == null || scoredTypes.contains(e.eventType)) {
      ScoringRequest request = new ScoringRequest(e.userId, e.eventId, e.eventTime, e.receivedAt, sequence.itemIds());
      request.itemId = e.itemId;
      assignment.ifPresent(a -> assign(request, a));
      out.collect(request);
    } else if (assignment.isPresent()) {
      // Not scored, but an outcome step of the user's exposures: it reaches the join through the scorer, in order with them.
      out.collect(ScoringRequest.stepOnly(e.userId, e.eventId, e.itemId, e.eventTime, e.receivedAt, assignment.get().experimentId()));
    }
  }

  private static void assign(ScoringRequest r, Assignment a) {
    r.inArm(a.experimentId(), a.arm(), a.model().isLine() ? a.model().name() : null, a.model().isLine() ? null : a.model().name());
  }
}
