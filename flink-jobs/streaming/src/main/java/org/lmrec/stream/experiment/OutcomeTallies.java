package org.lmrec.stream.experiment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.lmrec.experiment.ArmTally;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentOutcome;

/**
 * Folds this subtask's outcomes into one {@link OutcomeTally} per (experiment, arm, look) before
 * they are shuffled to the experiment's one statistics subtask, which would otherwise read and
 * write the experiment's tally once per outcome: the hot key that cost two thirds of the drain rate
 * at 3,000 items (issue 22).
 *
 * <p>The buffer is flushed before every watermark is passed on, so each look still sees exactly the
 * outcomes it saw when they came one by one; before every checkpoint barrier, so it holds nothing
 * at a checkpoint and needs no state (exactly-once as before); and every {@code maxOutcomes}
 * outcomes, to bound memory and delay.
 */
public final class OutcomeTallies extends AbstractStreamOperator<OutcomeTally> implements OneInputStreamOperator<ExperimentOutcome, OutcomeTally> {
  private static final long serialVersionUID = 1L;
  /** Dead letters of outcomes that could not be tallied. */
  public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("outcome-tally-failures") {};
  public static final int DEFAULT_MAX_OUTCOMES = 4096;
  static final String OPERATOR = "outcome tallies";

  private final long lookIntervalMillis;
  private final int maxOutcomes;

  private transient Map<Key, Partial> buffer;
  private transient int buffered;
  private transient Counter failures;
  private transient AvroCodec<ExperimentOutcome> outcomes;

  private record Key(String experimentId, String arm, long lookTime) {}

  private static final class Partial {
    final ArmTally tally;
    final Set<String> shown = new LinkedHashSet<>();
    long maxTimestamp = Long.MIN_VALUE;

    Partial(String arm) {
      tally = new ArmTally(arm);
    }
  }

  /** @param lookInterval the statistics' look interval: outcomes due at different looks are not folded together */
  public OutcomeTallies(Duration lookInterval, int maxOutcomes) {
    if (lookInterval.isNegative() || lookInterval.isZero()) throw new IllegalArgumentException("the look interval must be positive, got " + lookInterval);
    if (maxOutcomes < 1) throw new IllegalArgumentException("maxOutcomes must be >= 1, got " + maxOutcomes);
    this.lookIntervalMillis = lookInterval.toMillis();
    this.maxOutcomes = maxOutcomes;
  }

  @Override
  public void open() throws Exception {
    super.open();
    buffer = new LinkedHashMap<>();
    failures = getRuntimeContext().getMetricGroup().counter("lmrecRecordFailures");
    outcomes = AvroCodec.of(ExperimentOutcome.class);
  }

  @Override
  public void processElement(StreamRecord<ExperimentOutcome> element) {
    ExperimentOutcome o = element.getValue();
    long t = element.hasTimestamp() ? element.getTimestamp() : o.getTriggerTime().toEpochMilli();
    try {
      Key key = new Key(o.getExperimentId(), o.getExperimentArm(), nextLook(t));
      // Checked before the fold: a throw inside ArmTally.add would leave the tally half-updated.
      if (!Double.isFinite(o.getReciprocalRank())) throw new IllegalArgumentException("reciprocal rank must be finite, got " + o.getReciprocalRank());
      Partial p = buffer.computeIfAbsent(key, k -> new Partial(k.arm()));
      p.tally.add(OutcomeTally.coreOutcome(o), o.getFirstExposureOfUser(), o.getLatencyMillis(), 0);
      p.shown.addAll(o.getShownItems()); // each once per tally; the statistics know which are new to the arm
      p.maxTimestamp = Math.max(p.maxTimestamp, t);
    } catch (RuntimeException e) {
      failures.inc();
      output.collect(FAILED, new StreamRecord<>(RecordFailures.deadLetter(OPERATOR, RecordFailures.bytesOf(outcomes, () -> o),
          o.getExperimentId() == null ? new byte[0] : o.getExperimentId().getBytes(java.nio.charset.StandardCharsets.UTF_8), null, -1, -1, e,
          System.currentTimeMillis())));
      return;
    }
    if (++buffered >= maxOutcomes) flush();
  }

  /** The first multiple of the look interval after {@code t}: looks fall on round times, the same in every run. */
  long nextLook(long t) {
    return Math.floorDiv(t, lookIntervalMillis) * lookIntervalMillis + lookIntervalMillis;
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush(); // the outcomes before a watermark reach the statistics before it, as they did one by one
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush(); // nothing held at a checkpoint: no state, and a restore neither loses nor repeats an outcome
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (buffer.isEmpty()) return;
    for (Map.Entry<Key, Partial> e : buffer.entrySet()) {
      Key k = e.getKey();
      Partial p = e.getValue();
      output.collect(new StreamRecord<>(new OutcomeTally(k.experimentId(), k.lookTime(), p.tally.snapshot(), p.shown), p.maxTimestamp));
    }
    buffer.clear();
    buffered = 0;
  }
}
