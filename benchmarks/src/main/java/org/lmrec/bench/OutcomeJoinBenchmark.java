package org.lmrec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.stream.experiment.ExposureOutcomes;
import org.lmrec.stream.experiment.ExposureOutcomesOperator;
import org.lmrec.stream.experiment.OutcomeInput;

/**
 * The outcome join's cost per scored event of a user in an experiment, on a real RocksDB backend
 * (the job's predefined options, memory not managed: there is no slot here), driven through
 * Flink's operator harness with the scorer's records (one {@link OutcomeInput#answered} per scored
 * event), for each size of the join's write-behind cache in {@code caches=}: size 1 is what the
 * join did before the cache (every event a RocksDB read and write of the user's state). A snapshot
 * every {@code checkpointEvery} events stands for the job's checkpoints (it flushes the cache, and
 * its synchronous part is timed too: more than a real checkpoint costs the task thread). Every size
 * must give the same outcomes, which the run checks. Sizes run interleaved, round by round, timed
 * in the thread's CPU time; the first round is warm-up, then the median per event.
 *
 * <p>Usage: {@code OutcomeJoinBenchmark [rounds=5] [events=200000] [users=20000] [items=3000]
 * [shown=10] [horizon=5] [caches=1,5000,20000] [checkpointEvery=100000]}: the streaming benchmark's
 * traffic shape (20,000 users, 3,000 items, top 10, the job's horizon of 5 events); a snapshot
 * every 100,000 events is the job's 10 s checkpoint interval at 10,000 events per second.
 */
public final class OutcomeJoinBenchmark {
  private OutcomeJoinBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int rounds = a.getInt("rounds", 5);
    if (rounds < 2) throw new IllegalArgumentException("rounds= must be at least 2: the first is warm-up");
    int events = a.getInt("events", 200_000);
    int users = a.getInt("users", 20_000);
    int items = a.getInt("items", 3_000);
    int shown = a.getInt("shown", 10);
    int horizon = a.getInt("horizon", 5);
    int checkpointEvery = a.getInt("checkpointEvery", 100_000);
    int[] caches = Arrays.stream(a.get("caches", "1,5000,20000").split(",")).mapToInt(c -> Integer.parseInt(c.trim())).toArray();
    System.out.printf(Locale.ROOT, "outcome join on RocksDB: %,d events of %,d users, %,d items, top %d, horizon %d events, a snapshot every %,d events; "
        + "cache sizes %s; %d rounds (first is warm-up)%n", events, users, items, shown, horizon, checkpointEvery, Arrays.toString(caches), rounds);
    List<OutcomeInput> inputs = new ArrayList<>(events);
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < events; i++) {
      String user = "u" + random.nextInt(users);
      String item = "i" + (1 + random.nextInt(items));
      List<ScoredItem> list = new ArrayList<>(shown);
      for (int k = 0; k < shown; k++) list.add(new ScoredItem("i" + (1 + random.nextInt(items)), 1f));
      Recommendation r = Recommendation.newBuilder().setTriggeringEventId("bench-" + i).setUserId(user).setItems(list)
          .setModelVersion(i % 2 == 0 ? "control-model-1796619399680" : "candidate-model-1796619401338").setExperimentId("bench-ab")
          .setExperimentArm(i % 2 == 0 ? "control" : "candidate").setProducedAt(Instant.ofEpochMilli(i)).setLatencyMillis(7L).build();
      inputs.add(OutcomeInput.answered(r, item, i));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][] micros = new double[caches.length][rounds];
    for (int round = 0; round < rounds; round++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d%s:", round + 1, round == 0 ? " (warm-up)" : ""));
      List<ExperimentOutcome> first = null;
      for (int c = 0; c < caches.length; c++) {
        try (var h = harness(horizon, caches[c])) {
          long start = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < events; i++) {
            OutcomeInput in = inputs.get(i);
            h.processElement(in, in.eventTime());
            if ((i + 1) % checkpointEvery == 0) h.snapshot(i + 1, i + 1);
          }
          micros[c][round] = (threads.getCurrentThreadCpuTime() - start) / 1e3 / events;
          List<ExperimentOutcome> outcomes = h.extractOutputValues();
          if (first == null) first = outcomes;
          else if (!first.equals(outcomes)) throw new IllegalStateException("cache " + caches[c] + " gave other outcomes than cache " + caches[0]);
          line.append(String.format(Locale.ROOT, " cache %,d: %.2f us per event;", caches[c], micros[c][round]));
        }
      }
      System.out.println(line.append(String.format(Locale.ROOT, " %,d outcomes each", first.size())));
    }
    double base = AnnBenchmark.median(Arrays.copyOfRange(micros[0], 1, rounds)); // round 1 is warm-up
    for (int c = 0; c < caches.length; c++) {
      double m = AnnBenchmark.median(Arrays.copyOfRange(micros[c], 1, rounds));
      System.out.printf(Locale.ROOT, "outcome join per scored event, cache %,d users (median of %d rounds, thread CPU): %.2f us -> %.2fx against cache %,d; "
          + "%n", caches[c], rounds - 1, m, base / m, caches[0]);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, OutcomeInput, ExperimentOutcome> harness(int horizon, int cacheUsers) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new ExposureOutcomesOperator(new ExposureOutcomes(horizon, Duration.ofMinutes(30), Duration.ofDays(1), Duration.ofDays(1), cacheUsers)),
        OutcomeInput::userId, Types.STRING);
    Configuration c = new Configuration();
    // The job's options (StreamingJob.flinkSettings); unmanaged, as the harness has no slot to size memory from.
    c.setString("state.backend.rocksdb.memory.managed", "false");
    c.setString("state.backend.rocksdb.predefined-options", "SPINNING_DISK_OPTIMIZED_HIGH_MEM");
    h.setStateBackend(new EmbeddedRocksDBStateBackend().configure(c, OutcomeJoinBenchmark.class.getClassLoader()));
    // Snapshots to files, as the job's checkpoints: the upload runs on RocksDB's own threads.
    h.setCheckpointStorage(new FileSystemCheckpointStorage(Files.createTempDirectory("lmrec-join-bench").toUri()));
    h.setup();
    h.open();
    return h;
  }
}
