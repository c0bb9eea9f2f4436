package org.lmrec.stream.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.experiment.ArmTally;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentLook;
import org.lmrec.experiment.ExperimentReport;
import org.lmrec.experiment.MixtureSequentialTest;
import org.lmrec.experiment.RunningMoments;
import org.lmrec.schema.ArmComparison;
import org.lmrec.schema.ArmTallyState;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.ExperimentTallyState;
import org.lmrec.schema.MomentsState;
import org.lmrec.schema.SequentialTestState;
import org.lmrec.flink.deadletter.LogSafe;
import org.lmrec.flink.deadletter.RecordFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An experiment's statistics, continuously: keyed by experiment id, it merges every subtask's
 * {@link OutcomeTally} of closed outcomes (folded by {@link OutcomeTallies}) into its arm and, at each look (an event-time timer on every multiple of the look
 * interval that saw outcomes), runs {@link ExperimentLook}: per-arm counts and means, the sample
 * ratio check on users, and the always-valid test of each treatment against the control. Each look
 * is emitted as an {@link ExperimentResult} and, when a report directory is set, written there as
 * {@code <id>.json} and {@code <id>.png}.
 *
 * <p>The experiment's definition (arms, weights, metric) comes from the same broadcast topic the
 * sequence operator reads; outcomes of an experiment it does not know (yet, or any more) are
 * tallied but not looked at. All of one experiment's tallies meet in one subtask, the price of one
 * place holding the test's state; the per-subtask folding keeps it one merge per arm and look per
 * flush, not one state update per outcome.
 */
public final class ExperimentStatistics extends KeyedBroadcastProcessFunction<String, OutcomeTally, ExperimentUpdate, ExperimentResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ExperimentStatistics.class);

  /** The experiments this operator knows, id → definition JSON; part of the savepoint contract. */
  public static final MapStateDescriptor<String, String> EXPERIMENTS = new MapStateDescriptor<>("experiments", String.class, String.class);
  public static final String TALLY_STATE = "experiment-tally";
  public static final String SHOWN_STATE = "experiment-items-shown";
  public static final String TIMELINE_STATE = "experiment-timeline";
  /** When (processing time) this experiment's state is dropped unless another outcome arrives first. */
  public static final String DROP_AT_STATE = "experiment-drop-at";
  /** Default of {@code lmrec.experiments.statistics-retention}. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
  private static final long HOUR = 3_600_000L;
  /** Dead letters of outcomes (or looks) whose handling failed unexpectedly. */
  public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("experiment-statistics-failures") {};
  static final String OPERATOR = "experiment statistics";

  private final double alpha;
  private final double tau;
  private final String reportDir;
  private final long retentionMillis;
  private final ExperimentLimits limits;

  private transient ExperimentDefinitions definitions;
  private transient ValueState<ExperimentTallyState> tally;
  private transient MapState<String, Boolean> shown;
  private transient ListState<ArmComparison> timeline;
  private transient ValueState<Long> dropAt;
  /**
   * Keys known to be in {@link #shown}: a read-through cache of an append-only set, so it stays
   * right after a restore or rescale (a miss just asks the state). Without it every outcome cost
   * one state lookup per shown item, on the one subtask that owns the experiment.
   */
  private transient java.util.Set<String> shownCache;
  private transient Counter unknown;
  private transient Counter looks;
  private transient Counter reportWriteFailures;
  private transient Counter failures;
  private transient Counter dropped;

  /** @param reportDir where each look's report files go; null = not written */
  public ExperimentStatistics(Duration lookInterval, double alpha, double tau, String reportDir) {
    this(lookInterval, alpha, tau, reportDir, DEFAULT_RETENTION, ExperimentLimits.DEFAULTS);
  }

  /**
   * @param retention an experiment's statistics are dropped after this long (processing time) without
   *     an outcome, so state of experiments long over, or spammed onto the topic, does not live forever;
   *     zero = kept forever
   * @param limits the same caps on definitions as the sequence operator's, so both know the same experiments
   * @param lookInterval only checked here: each tally carries the look it is due at ({@link OutcomeTallies})
   */
  public ExperimentStatistics(Duration lookInterval, double alpha, double tau, String reportDir, Duration retention, ExperimentLimits limits) {
    if (retention.isNegative()) throw new IllegalArgumentException("the retention must not be negative, got " + retention);
    this.retentionMillis = retention.toMillis();
    this.limits = limits;
    if (lookInterval.isNegative() || lookInterval.isZero()) throw new IllegalArgumentException("the look interval must be positive, got " + lookInterval);
    new MixtureSequentialTest(alpha, tau); // fails fast, in the client, on a bad alpha or tau
    this.alpha = alpha;
    this.tau = tau;
    this.reportDir = reportDir;
  }

  @Override
  public void open(OpenContext context) {
    definitions = new ExperimentDefinitions(limits);
    shownCache = new java.util.HashSet<>();
    tally = getRuntimeContext().getState(new ValueStateDescriptor<>(TALLY_STATE, TypeInformation.of(ExperimentTallyState.class)));
    shown = getRuntimeContext().getMapState(new MapStateDescriptor<>(SHOWN_STATE, Types.STRING, Types.BOOLEAN));
    timeline = getRuntimeContext().getListState(new ListStateDescriptor<>(TIMELINE_STATE, TypeInformation.of(ArmComparison.class)));
    dropAt = getRuntimeContext().getState(new ValueStateDescriptor<>(DROP_AT_STATE, Types.LONG));
    unknown = getRuntimeContext().getMetricGroup().counter("lmrecLooksAtUnknownExperiments");
    looks = getRuntimeContext().getMetricGroup().counter("lmrecExperimentLooks");
    reportWriteFailures = getRuntimeContext().getMetricGroup().counter("lmrecExperimentReportWriteFailures");
    failures = getRuntimeContext().getMetricGroup().counter("lmrecRecordFailures");
    dropped = getRuntimeContext().getMetricGroup().counter("lmrecExperimentStatesDropped");
  }

  @Override
  public void processBroadcastElement(ExperimentUpdate u, Context ctx, Collector<ExperimentResult> out) throws Exception {
    // Refusals (and failures) are the sequence operator's to dead-letter: it applies the same
    // update through the same code. Here they only leave the known definition in force.
    try {
      definitions.apply(u, ctx.getBroadcastState(EXPERIMENTS), ctx.currentProcessingTime());
    } catch (RuntimeException e) {
      failures.inc();
      LOG.warn("experiment update '{}' failed unexpectedly here; the known definition stays in force", LogSafe.text(u.id), e);
    }
  }

  @Override
  public void processElement(OutcomeTally o, ReadOnlyContext ctx, Collector<ExperimentResult> out) throws Exception {
    try {
      mergeTally(o, ctx);
    } catch (RuntimeException e) {
      failures.inc();
      ctx.output(FAILED, RecordFailures.deadLetter(OPERATOR, o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), key(ctx.getCurrentKey()),
          null, -1, -1, e, System.currentTimeMillis()));
    }
  }

  private static byte[] key(String experimentId) {
    return experimentId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private void mergeTally(OutcomeTally o, ReadOnlyContext ctx) throws Exception {
    ExperimentTallyState before = tally.value();
    // Only the tally's arm changes: convert that one, not every arm.
    List<ArmTallyState> arms = before == null ? new ArrayList<>() : new ArrayList<>(before.getArms());
    int index = 0;
    while (index < arms.size() && !arms.get(index).getArm().equals(o.arm)) index++;
    ArmTally arm = index < arms.size() ? tally(arms.get(index)) : new ArmTally(o.arm);
    int newlyShown = 0;
    for (String item : o.shownItems) {
      String key = ctx.getCurrentKey() + '\u0000' + o.arm + '\u0000' + item;
      if (shownCache.contains(key)) continue;
      String stateKey = o.arm + '\u0000' + item;
      if (!shown.contains(stateKey)) {
        shown.put(stateKey, Boolean.TRUE);
        newlyShown++;
      }
      shownCache.add(key);
    }
    arm.merge(o.snapshot(), newlyShown);
    if (index < arms.size()) arms.set(index, state(arm));
    else arms.add(state(arm));
    tally.update(new ExperimentTallyState(arms, before == null ? new ArrayList<>() : before.getTests()));
    ctx.timerService().registerEventTimeTimer(o.lookTime);
    postponeDrop(ctx);
  }

  /**
   * Moves the drop deadline to a retention after now, rounded up (to the hour, or the retention when
   * shorter) so that a busy experiment writes the deadline and registers a timer about once per
   * round, not once per outcome. Keys restored from a savepoint taken before this state existed get
   * their deadline with their next outcome.
   */
  private void postponeDrop(ReadOnlyContext ctx) throws Exception {
    if (retentionMillis == 0) return;
    long round = Math.min(HOUR, retentionMillis);
    long due = Math.floorDiv(ctx.timerService().currentProcessingTime() + retentionMillis, round) * round + round;
    Long known = dropAt.value();
    if (known != null && known == due) return;
    dropAt.update(due);
    ctx.timerService().registerProcessingTimeTimer(due);
  }

  /** Drops the experiment's state when no outcome moved its deadline since this timer was set. */
  private void dropIfDue(long timestamp, OnTimerContext ctx) throws Exception {
    Long due = dropAt.value();
    if (due == null || timestamp < due) return; // a later outcome moved the deadline: its own timer comes
    String id = ctx.getCurrentKey();
    tally.clear();
    shown.clear();
    timeline.clear();
    dropAt.clear();
    String prefix = id + '\u0000';
    shownCache.removeIf(k -> k.startsWith(prefix));
    dropped.inc();
    LOG.info("experiment {}: no outcome for {}, its statistics state is dropped (lmrec.experiments.statistics-retention)", id,
        Duration.ofMillis(retentionMillis));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExperimentResult> out) throws Exception {
    try {
      if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) dropIfDue(timestamp, ctx);
      else look(timestamp, ctx, out);
    } catch (RuntimeException e) {
      failures.inc();
      ctx.output(FAILED, RecordFailures.deadLetter(OPERATOR, new byte[0], key(ctx.getCurrentKey()), null, -1, -1, e, System.currentTimeMillis()));
    }
  }

  private void look(long timestamp, OnTimerContext ctx, Collector<ExperimentResult> out) throws Exception {
    Optional<Experiment> experiment = definitions.known(ctx.getBroadcastState(EXPERIMENTS)).get(ctx.getCurrentKey());
    if (experiment.isEmpty()) {
      unknown.inc();
      return;
    }
    ExperimentTallyState s = tally.value();
    if (s == null) return; // dropped after its retention; a look timer set before still fires
    Map<String, MixtureSequentialTest.State> tests = new HashMap<>();
    for (SequentialTestState t : s.getTests()) {
      tests.put(t.getTreatment(), new MixtureSequentialTest.State(t.getAlpha(), t.getTau(), t.getLooks(), t.getAlwaysValidP(), t.getLower(), t.getUpper()));
    }
    Map<String, List<ExperimentReport.TimelinePoint>> lines = new HashMap<>();
    long stored = 0;
    for (ArmComparison c : timeline.get()) {
      lines.computeIfAbsent(c.getTreatment(), k -> new ArrayList<>()).add(ExperimentResults.point(c));
      stored++;
    }
    ExperimentLook.Result look = ExperimentLook.look(experiment.get(), timestamp, alpha, tau, tallies(s), tests, lines);
    List<SequentialTestState> testStates = new ArrayList<>();
    look.tests().forEach((treatment, t) -> testStates.add(new SequentialTestState(treatment, t.alpha(), t.tau(), t.looks(), t.alwaysValidP(), t.lower(), t.upper())));
    tally.update(new ExperimentTallyState(s.getArms(), testStates));
    long kept = look.timelines().values().stream().mapToLong(List::size).sum();
    if (kept == stored + look.newPoints().size()) {
      for (Map.Entry<String, ExperimentReport.TimelinePoint> p : look.newPoints().entrySet()) {
        timeline.add(ExperimentResults.comparison(p.getKey(), p.getValue(), alpha));
      }
    } else { // thinned: rewrite
      List<ArmComparison> all = new ArrayList<>();
      look.timelines().forEach((treatment, points) -> points.forEach(p -> all.add(ExperimentResults.comparison(treatment, p, alpha))));
      timeline.update(all);
    }
    looks.inc();
    // Files first, then the record: a reader of the results topic may open the files as soon as
    // it sees the record. A failed write (disk full, permissions) costs the files, not the job.
    if (reportDir != null) writeReport(look.report(), ctx.getCurrentKey());
    out.collect(ExperimentResults.of(look.report()));
  }

  private void writeReport(ExperimentReport report, String experimentId) {
    try {
      report.writeTo(Path.of(reportDir));
    } catch (RuntimeException e) {
      reportWriteFailures.inc();
      LOG.warn("experiment {}: the report files could not be written to {}; the result record is still emitted", experimentId, reportDir, e);
    }
  }

  private static Map<String, ArmTally> tallies(ExperimentTallyState s) {
    Map<String, ArmTally> arms = new LinkedHashMap<>();
    for (ArmTallyState a : s.getArms()) arms.put(a.getArm(), tally(a));
    return arms;
  }

  private static ArmTally tally(ArmTallyState a) {
    return ArmTally.of(new ArmTally.Snapshot(a.getArm(), a.getUsers(), a.getExposures(), moments(a.getHits()), moments(a.getReciprocalRanks()),
        a.getEmptyLists(), moments(a.getLatency()), a.getMaxLatencyMillis() == null ? -1 : a.getMaxLatencyMillis(), a.getDistinctItemsShown()));
  }

  private static ArmTallyState state(ArmTally arm) {
    ArmTally.Snapshot a = arm.snapshot();
    return new ArmTallyState(a.arm(), a.users(), a.exposures(), moments(a.hits()), moments(a.reciprocalRanks()), a.emptyLists(), moments(a.latency()),
        a.maxLatencyMillis() < 0 ? null : a.maxLatencyMillis(), a.distinctItemsShown());
  }

  private static RunningMoments.Snapshot moments(MomentsState m) {
    return new RunningMoments.Snapshot(m.getCount(), m.getMean(), m.getM2());
  }

  private static MomentsState moments(RunningMoments.Snapshot m) {
    return new MomentsState(m.count(), m.mean(), m.m2());
  }
}
