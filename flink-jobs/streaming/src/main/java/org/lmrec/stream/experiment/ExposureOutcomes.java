package org.lmrec.stream.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.experiment.OutcomeHorizon;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.PendingExposure;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.stream.state.WriteBehindValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * Joins each exposure (a recommendation served inside an experiment) with the same user's later
 * interactions and emits its {@link ExperimentOutcome} once the horizon closes: after the next
 * {@code maxEvents} interactions, or when the watermark passes the trigger's time plus
 * {@code maxTime} (an event-time timer). Keyed by user, with one input ({@link OutcomeInput}): the
 * scorer's side output of the steps, the accepted interactions of users in an experiment that the
 * sequence operator hands it ({@code ScoringRequest#inExperiment}), each answered one together with
 * its exposure. That stream is still partitioned by user, so the job reinterprets it as keyed and
 * this operator runs chained in the scorer's thread. An interaction after the experiment's stop is not among the steps, so a
 * horizon still open at the stop closes by time with what it had.
 *
 * <p>Exposures and steps race: the scorer hands a step alone on when its request arrives (one it
 * does not score) and an answered one when its micro-batch is scored, so steps can come before
 * the exposure they follow. So recent steps are kept too, for the horizon's time plus the allowed lateness behind the watermark (and at most
 * {@code 4 × maxEvents + 16} of them), and an exposure is judged against those it finds when it
 * arrives.
 *
 * <p>Every record reads and rewrites its user's state, so the state sits behind a bounded
 * write-behind cache ({@link WriteBehindValueState}, {@code cacheUsers} users): RocksDB sees a
 * user's state when the user comes into the cache, when it is evicted and once per checkpoint.
 * That needs the operator's hand (its key context, and a flush before each snapshot), so this
 * function runs only inside {@link ExposureOutcomesOperator}.
 */
public final class ExposureOutcomes extends KeyedProcessFunction<String, OutcomeInput, ExperimentOutcome> {
  private static final long serialVersionUID = 1L;

  /** Name of the keyed state; part of the savepoint contract, never rename. */
  public static final String STATE_NAME = "exposure-outcomes";
  /** Dead letters of records (or timers) whose handling failed unexpectedly. */
  public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("exposure-outcome-failures") {};
  static final String OPERATOR = "exposure outcomes";

  private final int maxEvents;
  private final Duration maxTime;
  private final long retentionMillis;
  private final Duration ttl;
  private final int cacheUsers;

  private transient OutcomeHorizon horizon;
  private transient KeyContext keys;
  private transient WriteBehindValueState<String, ExposureOutcomeState> state;
  private transient Counter duplicates;
  private transient Counter closed;
  private transient Counter failures;
  private transient AvroCodec<Recommendation> recommendations;

  /**
   * @param allowedLateness how far behind the watermark an interaction may still arrive: recent
   *     interactions are kept this long beyond the horizon's time
   * @param ttl a user's state is dropped after this long without an update; zero = never
   * @param cacheUsers users whose state is kept live between checkpoints, per subtask (at least 1)
   */
  public ExposureOutcomes(int maxEvents, Duration maxTime, Duration allowedLateness, Duration ttl, int cacheUsers) {
    new OutcomeHorizon(maxEvents, maxTime); // fails fast, in the client, on a bad horizon
    if (cacheUsers < 1) throw new IllegalArgumentException("the outcome join's cache needs room for at least one user, got " + cacheUsers);
    this.maxEvents = maxEvents;
    this.maxTime = maxTime;
    this.retentionMillis = maxTime.toMillis() + allowedLateness.toMillis();
    this.ttl = ttl;
    this.cacheUsers = cacheUsers;
  }

  /** The operator's key context; {@link ExposureOutcomesOperator} hands it over before {@link #open}. */
  void useKeys(KeyContext operator) {
    this.keys = operator;
  }

  /** Writes every cached change to the keyed state: the operator calls it before each snapshot. */
  void flush() throws Exception {
    if (state != null) state.flush();
  }

  public static ValueStateDescriptor<ExposureOutcomeState> descriptor(Duration ttl) {
    // Compact, not Avro: read and rewritten on every event (see ExposureOutcomeStateSerializer); Avro state migrates on restore.
    ValueStateDescriptor<ExposureOutcomeState> d = new ValueStateDescriptor<>(STATE_NAME, new ExposureOutcomeStateSerializer());
    if (!ttl.isZero()) {
      d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
    }
    return d;
  }

  @Override
  public void open(OpenContext context) {
    if (keys == null) {
      throw new IllegalStateException("ExposureOutcomes caches state between checkpoints and runs only inside ExposureOutcomesOperator");
    }
    horizon = new OutcomeHorizon(maxEvents, maxTime);
    state = new WriteBehindValueState<>(getRuntimeContext().getState(descriptor(ttl)), keys, cacheUsers, ttl, System::currentTimeMillis);
    getRuntimeContext().getMetricGroup().gauge("lmrecOutcomeCacheHits", state::hits);
    getRuntimeContext().getMetricGroup().gauge("lmrecOutcomeCacheMisses", state::misses);
    getRuntimeContext().getMetricGroup().gauge("lmrecOutcomeCacheWrites", state::writes);
    duplicates = getRuntimeContext().getMetricGroup().counter("lmrecDuplicateExposures");
    closed = getRuntimeContext().getMetricGroup().counter("lmrecExposureOutcomes");
    failures = getRuntimeContext().getMetricGroup().counter("lmrecRecordFailures");
    recommendations = AvroCodec.of(Recommendation.class);
  }

  @Override
  public void processElement(OutcomeInput in, Context ctx, Collector<ExperimentOutcome> out) throws Exception {
    try {
      // One read and one write of the user's state per record, also for a step with its exposure.
      ExposureOutcomeState s = null;
      if (in.hasStep()) {
        s = current();
        addStep(s, in);
      }
      if (in.isExposure() && in.exposureRecord().getExperimentId() != null) {
        if (s == null) s = current();
        if (!addExposure(s, in.exposureRecord(), ctx) && !in.hasStep()) return; // a duplicate alone changes nothing
      }
      if (s == null) return;
      long watermark = ctx.timerService().currentWatermark();
      closeWhatIsDone(s, ctx.getCurrentKey(), watermark, out);
      save(s, watermark);
    } catch (RuntimeException e) {
      byte[] raw = in.isExposure() ? RecordFailures.bytesOf(recommendations, in::exposureRecord)
          : (in.eventId() + " " + in.itemId() + " " + in.eventTime()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      fail(ctx, raw, e);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExperimentOutcome> out) throws Exception {
    try {
      ExposureOutcomeState s = state.value();
      if (s == null) return;
      closeWhatIsDone(s, ctx.getCurrentKey(), timestamp, out);
      long next = earliestClose(s);
      if (next != Long.MAX_VALUE) ctx.timerService().registerEventTimeTimer(next); // the one timer moves on
      save(s, timestamp);
    } catch (RuntimeException e) {
      fail(ctx, new byte[0], e);
    }
  }

  /** One record's (or timer's) failure: a dead letter keyed by the user, never a task failure. */
  private void fail(Context ctx, byte[] raw, RuntimeException e) {
    failures.inc();
    ctx.output(FAILED, RecordFailures.deadLetter(OPERATOR, raw, ctx.getCurrentKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        null, -1, -1, e, System.currentTimeMillis()));
  }

  /** Adds {@code r} to the pending exposures; false when it is already there (re-emitted after a restart). */
  private boolean addExposure(ExposureOutcomeState s, Recommendation r, Context ctx) {
    for (PendingExposure p : s.getPending()) {
      if (p.getExperimentId().equals(r.getExperimentId()) && p.getTriggeringEventId().equals(r.getTriggeringEventId())) {
        duplicates.inc(); // the scorer re-emitted it after a restart
        return false;
      }
    }
    // Everything that can fail on a malformed record comes before the first change: the state is
    // the cached object itself, changed in place.
    List<String> shown = new ArrayList<>(r.getItems().size());
    for (ScoredItem i : r.getItems()) shown.add(i.getItemId());
    boolean first = !s.getEnrolledExperiments().contains(r.getExperimentId());
    if (first) s.getEnrolledExperiments().add(r.getExperimentId());
    PendingExposure p = new PendingExposure(r.getExperimentId(), r.getExperimentArm() == null ? "" : r.getExperimentArm(), r.getModelVersion(),
        r.getTriggeringEventId(), ctx.timestamp(), shown, r.getLatencyMillis(), first);
    long closesAt = horizon.closesAt(p.getTriggerTime());
    // One timer per user, at the earliest open horizon's end (see earliestClose), not one per exposure.
    if (closesAt < earliestClose(s)) ctx.timerService().registerEventTimeTimer(closesAt);
    s.getPending().add(p);
    return true;
  }

  private static void addStep(ExposureOutcomeState s, OutcomeInput i) {
    s.getStepEventIds().add(i.eventId());
    s.getStepItemIds().add(i.itemId());
    s.getStepTimes().add(i.eventTime());
  }

  /**
   * Emits and forgets every pending exposure whose horizon is closed by count or by {@code
   * watermark}. A watermark W says every interaction at or before W has arrived, so a horizon that
   * closes at W is complete: the horizon's "now" is the first time not yet complete, W + 1.
   */
  private void closeWhatIsDone(ExposureOutcomeState s, String userId, long watermark, Collector<ExperimentOutcome> out) {
    if (s.getPending().isEmpty()) return;
    long eventTimeNow = watermark == Long.MIN_VALUE ? watermark : watermark + 1;
    List<OutcomeHorizon.Step> steps = null; // built when an exposure may close: most records close none
    List<PendingExposure> stillOpen = new ArrayList<>();
    for (PendingExposure p : s.getPending()) {
      if (eventTimeNow <= horizon.closesAt(p.getTriggerTime()) && stepsFrom(s, p.getTriggerTime()) < maxEvents) {
        stillOpen.add(p); // open: fewer steps even at or after its trigger time than the horizon needs
        continue;
      }
      if (steps == null) steps = steps(s);
      OutcomeHorizon.Exposure e = exposure(p, userId);
      if (horizon.isClosed(e, steps, eventTimeNow)) {
        out.collect(outcome(p, userId, horizon.outcome(e, steps)));
        closed.inc();
      } else {
        stillOpen.add(p);
      }
    }
    s.setPending(stillOpen);
  }

  /** Steps at or after {@code time}: at least as many as the horizon counts after a trigger at that time. */
  private static int stepsFrom(ExposureOutcomeState s, long time) {
    int n = 0;
    for (long t : s.getStepTimes()) if (t >= time) n++;
    return n;
  }

  /**
   * When the first open horizon ends ({@code Long.MAX_VALUE} when none is open). The operator keeps
   * this invariant: while exposures are open, an event-time timer is registered at or before it.
   * An exposure that ends later needs no timer of its own (the earlier one fires first, and its
   * handler registers the next end); closing exposures by count only moves the end later. State
   * from versions with one timer per exposure has all of them registered, so it holds there too.
   * In a backlog or with long horizons this saves a RocksDB timer write per exposure.
   */
  private long earliestClose(ExposureOutcomeState s) {
    long earliest = Long.MAX_VALUE;
    for (PendingExposure p : s.getPending()) earliest = Math.min(earliest, horizon.closesAt(p.getTriggerTime()));
    return earliest;
  }

  /** Drops interactions no open or future exposure can need, then writes the state (or clears it when empty). */
  private void save(ExposureOutcomeState s, long watermark) throws Exception {
    long oldestTrigger = Long.MAX_VALUE;
    for (PendingExposure p : s.getPending()) oldestTrigger = Math.min(oldestTrigger, p.getTriggerTime());
    long keepFrom = Math.min(oldestTrigger, watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - retentionMillis);
    int n = s.getStepTimes().size();
    int maxKept = 4 * maxEvents + 16;
    int drop = 0;
    while (drop < n && s.getStepTimes().get(drop) < keepFrom) drop++; // steps arrive roughly in time order
    if (s.getPending().isEmpty()) drop = Math.max(drop, n - maxKept);
    if (drop > 0) {
      s.setStepEventIds(new ArrayList<>(s.getStepEventIds().subList(drop, n)));
      s.setStepItemIds(new ArrayList<>(s.getStepItemIds().subList(drop, n)));
      s.setStepTimes(new ArrayList<>(s.getStepTimes().subList(drop, n)));
    }
    state.update(s);
  }

  private ExposureOutcomeState current() throws Exception {
    ExposureOutcomeState s = state.value();
    if (s == null) return new ExposureOutcomeStateSerializer().createInstance();
    // The serializer hands back fresh ArrayLists, appended to in place; a heap backend restored from
    // an Avro savepoint holds Avro's lists until the first write, which are copied.
    if (!(s.getPending() instanceof ArrayList)) s.setPending(new ArrayList<>(s.getPending()));
    if (!(s.getStepEventIds() instanceof ArrayList)) s.setStepEventIds(new ArrayList<>(s.getStepEventIds()));
    if (!(s.getStepItemIds() instanceof ArrayList)) s.setStepItemIds(new ArrayList<>(s.getStepItemIds()));
    if (!(s.getStepTimes() instanceof ArrayList)) s.setStepTimes(new ArrayList<>(s.getStepTimes()));
    if (!(s.getEnrolledExperiments() instanceof ArrayList)) s.setEnrolledExperiments(new ArrayList<>(s.getEnrolledExperiments()));
    return s;
  }

  private static List<OutcomeHorizon.Step> steps(ExposureOutcomeState s) {
    List<OutcomeHorizon.Step> steps = new ArrayList<>(s.getStepTimes().size());
    for (int i = 0; i < s.getStepTimes().size(); i++) {
      steps.add(new OutcomeHorizon.Step(s.getStepEventIds().get(i), s.getStepItemIds().get(i), s.getStepTimes().get(i)));
    }
    return steps;
  }

  private static OutcomeHorizon.Exposure exposure(PendingExposure p, String userId) {
    return new OutcomeHorizon.Exposure(p.getExperimentId(), p.getExperimentArm(), p.getModelVersion(), userId, p.getTriggeringEventId(), p.getTriggerTime(),
        p.getShownItems());
  }

  private static ExperimentOutcome outcome(PendingExposure p, String userId, OutcomeHorizon.Outcome o) {
    return ExperimentOutcome.newBuilder()
        .setExperimentId(p.getExperimentId())
        .setExperimentArm(p.getExperimentArm())
        .setModelVersion(p.getModelVersion())
        .setUserId(userId)
        .setTriggeringEventId(p.getTriggeringEventId())
        .setTriggerTime(Instant.ofEpochMilli(p.getTriggerTime()))
        .setShownItems(p.getShownItems())
        .setLatencyMillis(p.getLatencyMillis())
        .setFirstExposureOfUser(p.getFirstExposureOfUser())
        .setHit(o.hit())
        .setReciprocalRank(o.reciprocalRank())
        .setEventsSeen(o.eventsSeen())
        .setEmptyList(o.emptyList())
        .build();
  }
}
