package org.lmrec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.stream.experiment.ExposureOutcomes;
import org.lmrec.stream.experiment.OutcomeInput;

/**
 * The outcome join's cost per scored event of a user in an experiment, on a real RocksDB backend
 * (the job's predefined options, memory not managed: there is no slot here), driven through
 * Flink's operator harness: each interaction handed to the join apart from its exposure (a step,
 * then the exposure: two reads and two writes of the user's state, what the scorer sent before
 * 2026-12-07) against together (one {@link OutcomeInput#answered} record: one read, one write).
 * Both orders give the same outcomes, which the run checks. The two run interleaved, round by
 * round, timed in the thread's CPU time; the first round is warm-up, then the median per event.
 *
 * <p>Usage: {@code OutcomeJoinBenchmark [rounds=5] [events=100000] [users=20000] [items=3000]
 * [shown=10] [horizon=5]}: the streaming benchmark's traffic shape (20,000 users, 3,000 items, top
 * 10, the job's horizon of 5 events).
 */
public final class OutcomeJoinBenchmark {
  private OutcomeJoinBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int rounds = a.getInt("rounds", 5);
    int events = a.getInt("events", 100_000);
    int users = a.getInt("users", 20_000);
    int items = a.getInt("items", 3_000);
    int shown = a.getInt("shown", 10);
    int horizon = a.getInt("horizon", 5);
    System.out.printf(Locale.ROOT, "outcome join on RocksDB: %,d events of %,d users, %,d items, top %d, horizon %d events; %d rounds (first is warm-up)%n",
        events, users, items, shown, horizon, rounds);
    List<OutcomeInput> apart = new ArrayList<>(2 * events);
    List<OutcomeInput> together = new ArrayList<>(events);
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < events; i++) {
      String user = "u" + random.nextInt(users);
      String item = "i" + (1 + random.nextInt(items));
      List<ScoredItem> list = new ArrayList<>(shown);
      for (int k = 0; k < shown; k++) list.add(new ScoredItem("i" + (1 + random.nextInt(items)), 1f));
      Recommendation r = Recommendation.newBuilder().setTriggeringEventId("bench-" + i).setUserId(user).setItems(list)
          .setModelVersion(i % 2 == 0 ? "control-model-1796619399680" : "candidate-model-1796619401338").setExperimentId("bench-ab")
          .setExperimentArm(i % 2 == 0 ? "control" : "candidate").setProducedAt(Instant.ofEpochMilli(i)).setLatencyMillis(7L).build();
      apart.add(OutcomeInput.step(user, "bench-" + i, item, i));
      apart.add(OutcomeInput.exposure(r));
      together.add(OutcomeInput.answered(r, item, i));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] apartMicros = new double[rounds];
    double[] togetherMicros = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long[] outcomes = new long[2];
      for (int side = 0; side < 2; side++) {
        List<OutcomeInput> inputs = side == 0 ? apart : together;
        try (var h = harness(horizon)) {
          long start = threads.getCurrentThreadCpuTime();
          for (OutcomeInput in : inputs) h.processElement(in, in.isExposure() ? in.exposureRecord().getProducedAt().toEpochMilli() : in.eventTime());
          double micros = (threads.getCurrentThreadCpuTime() - start) / 1e3 / events;
          (side == 0 ? apartMicros : togetherMicros)[round] = micros;
          outcomes[side] = h.extractOutputValues().size();
        }
      }
      if (outcomes[0] != outcomes[1]) throw new IllegalStateException("apart gave " + outcomes[0] + " outcomes, together " + outcomes[1]);
      System.out.printf(Locale.ROOT, "round %d%s: apart %.1f us per event, together %.1f us (%,d outcomes each)%n", round + 1, round == 0 ? " (warm-up)" : "",
          apartMicros[round], togetherMicros[round], outcomes[0]);
    }
    double apartMedian = AnnBenchmark.median(Arrays.copyOfRange(apartMicros, 1, rounds)); // round 1 is warm-up
    double togetherMedian = AnnBenchmark.median(Arrays.copyOfRange(togetherMicros, 1, rounds));
    System.out.printf(Locale.ROOT, "outcome join per scored event (median of %d rounds, thread CPU): apart %.1f us, together %.1f us -> %.2fx%n", rounds - 1,
        apartMedian, togetherMedian, apartMedian / togetherMedian);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, OutcomeInput, ExperimentOutcome> harness(int horizon) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new ExposureOutcomes(horizon, Duration.ofMinutes(30), Duration.ofDays(1), Duration.ofDays(1))), OutcomeInput::userId, Types.STRING);
    Configuration c = new Configuration();
    // The job's options (StreamingJob.flinkSettings); unmanaged, as the harness has no slot to size memory from.
    c.setString("state.backend.rocksdb.memory.managed", "false");
    c.setString("state.backend.rocksdb.predefined-options", "SPINNING_DISK_OPTIMIZED_HIGH_MEM");
    h.setStateBackend(new EmbeddedRocksDBStateBackend().configure(c, OutcomeJoinBenchmark.class.getClassLoader()));
    h.setup();
    h.open();
    return h;
  }
}
