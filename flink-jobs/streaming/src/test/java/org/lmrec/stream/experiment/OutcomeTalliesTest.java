package org.lmrec.stream.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.ExperimentResult;

/**
 * The per-subtask folding of outcomes: the statistics it feeds report the same numbers as when
 * every outcome reached them on its own, and it holds nothing at a checkpoint.
 */
class OutcomeTalliesTest {
  private static final long MINUTE = ExperimentStatisticsTest.MINUTE;
  private static final long START = ExperimentStatisticsTest.START;
  private static final String EXPERIMENT = ExperimentStatisticsTest.EXPERIMENT;

  /** Outcomes (in event-time order, roughly) and a watermark every 50, over four minutes of event time. */
  private static List<Object> traffic() {
    Random r = new Random(7);
    List<Object> in = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long t = START + i * 120L + r.nextInt(100);
      String arm = r.nextBoolean() ? "control" : "candidate";
      String user = "u" + r.nextInt(300);
      List<String> shown = new ArrayList<>();
      for (int k = 0; k < r.nextInt(6); k++) shown.add("i" + r.nextInt(400));
      boolean hit = r.nextInt(10) < (arm.equals("control") ? 2 : 3);
      ExperimentOutcome o = ExperimentOutcome.newBuilder().setExperimentId("rank-ab").setExperimentArm(arm).setModelVersion("v").setUserId(user)
          .setTriggeringEventId("e" + i).setTriggerTime(Instant.ofEpochMilli(t)).setShownItems(shown)
          .setLatencyMillis(r.nextInt(5) == 0 ? null : (long) r.nextInt(200)).setFirstExposureOfUser(r.nextInt(4) == 0).setHit(hit)
          .setReciprocalRank(hit ? 1.0 / (1 + r.nextInt(10)) : 0.0).setEventsSeen(1).setEmptyList(shown.isEmpty()).build();
      in.add(new StreamRecord<>(o, t));
      if (i % 50 == 49) in.add(new Watermark(t - 1000));
    }
    in.add(new Watermark(Long.MAX_VALUE));
    return in;
  }

  private static KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> statistics() throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new ExperimentStatistics(Duration.ofMinutes(1), 0.05, 0.05, null), List.of(ExperimentStatistics.EXPERIMENTS)),
        (OutcomeTally t) -> t.experimentId, Types.STRING, 128, 1, 0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    h.open();
    h.processBroadcastWatermark(Long.MAX_VALUE);
    h.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    return h;
  }

  private static OneInputStreamOperatorTestHarness<ExperimentOutcome, OutcomeTally> tallies() throws Exception {
    var h = new OneInputStreamOperatorTestHarness<>(new OutcomeTallies(Duration.ofMinutes(1), OutcomeTallies.DEFAULT_MAX_OUTCOMES));
    h.setup();
    h.open();
    return h;
  }

  /** Each outcome on its own, as the statistics received them before the folding. */
  private static List<ExperimentResult> oneByOne(List<Object> traffic) throws Exception {
    try (var stats = statistics()) {
      for (Object e : traffic) {
        if (e instanceof Watermark w) stats.processWatermark(w);
        else {
          @SuppressWarnings("unchecked") StreamRecord<ExperimentOutcome> r = (StreamRecord<ExperimentOutcome>) e;
          stats.processElement(OutcomeTally.of(r.getValue(), Math.floorDiv(r.getTimestamp(), MINUTE) * MINUTE + MINUTE), r.getTimestamp());
        }
      }
      return results(stats);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<ExperimentResult> results(KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> h) {
    List<ExperimentResult> out = new ArrayList<>();
    for (Object e : h.getOutput()) if (e instanceof StreamRecord<?> r) out.add((ExperimentResult) r.getValue());
    return out;
  }

  @Test
  void foldedTalliesGiveEveryLookTheSameNumbersAsOneOutcomeAtATime() throws Exception {
    List<Object> traffic = traffic();
    List<ExperimentResult> expected = oneByOne(traffic);

    List<Object> folded = new ArrayList<>();
    try (var tallies = tallies()) {
      for (Object e : traffic) {
        if (e instanceof Watermark w) tallies.processWatermark(w);
        else tallies.processElement((StreamRecord<ExperimentOutcome>) e);
      }
      folded.addAll(tallies.getOutput()); // tallies and watermarks, in the order the statistics get them
    }
    long talliesSent = folded.stream().filter(e -> e instanceof StreamRecord<?>).count();
    assertThat(talliesSent).as("one tally per arm and look between watermarks, not one per outcome").isLessThan(200);

    List<ExperimentResult> actual;
    try (var stats = statistics()) {
      for (Object e : folded) {
        if (e instanceof Watermark w) stats.processWatermark(w);
        else stats.processElement((StreamRecord<OutcomeTally>) e);
      }
      actual = results(stats);
    }

    assertThat(expected).hasSize(4); // looks at minutes 1 to 4 of event time
    assertThat(actual).hasSize(expected.size());
    for (int l = 0; l < expected.size(); l++) {
      ExperimentResult e = expected.get(l), a = actual.get(l);
      assertThat(a.getAsOf()).isEqualTo(e.getAsOf());
      assertThat(a.getSrmPValue()).isCloseTo(e.getSrmPValue(), within(1e-12));
      for (int arm = 0; arm < e.getArms().size(); arm++) {
        ArmResult x = e.getArms().get(arm), y = a.getArms().get(arm);
        assertThat(y.getName()).isEqualTo(x.getName());
        assertThat(y.getUsers()).isEqualTo(x.getUsers());
        assertThat(y.getExposures()).isEqualTo(x.getExposures());
        assertThat(y.getEmptyLists()).isEqualTo(x.getEmptyLists());
        assertThat(y.getMaxLatencyMillis()).isEqualTo(x.getMaxLatencyMillis());
        assertThat(y.getDistinctItemsShown()).isEqualTo(x.getDistinctItemsShown());
        // Moments merged in another order than added: equal up to rounding.
        assertThat(y.getMean()).isCloseTo(x.getMean(), within(1e-12));
        assertThat(y.getVariance()).isCloseTo(x.getVariance(), within(1e-12));
        assertThat(y.getMeanReciprocalRank()).isCloseTo(x.getMeanReciprocalRank(), within(1e-12));
        assertThat(y.getMeanLatencyMillis()).isCloseTo(x.getMeanLatencyMillis(), within(1e-9));
      }
      for (int c = 0; c < e.getComparisons().size(); c++) {
        assertThat(a.getComparisons().get(c).getDifference()).isCloseTo(e.getComparisons().get(c).getDifference(), within(1e-12));
        assertThat(a.getComparisons().get(c).getAlwaysValidP()).isCloseTo(e.getComparisons().get(c).getAlwaysValidP(), within(1e-9));
      }
    }
  }

  @Test
  void holdsNothingAtACheckpointSoItNeedsNoState() throws Exception {
    try (var tallies = tallies()) {
      for (Object e : traffic().subList(0, 40)) {
        if (e instanceof StreamRecord<?> r) tallies.processElement((StreamRecord<ExperimentOutcome>) r);
      }
      assertThat(tallies.getOutput()).isEmpty(); // folded, below the flush size, no watermark yet
      tallies.prepareSnapshotPreBarrier(1);
      long exposures = 0;
      for (Object e : tallies.getOutput()) exposures += ((OutcomeTally) ((StreamRecord<?>) e).getValue()).exposures;
      assertThat(exposures).as("every outcome leaves before the barrier").isEqualTo(40);
    }
  }
}
