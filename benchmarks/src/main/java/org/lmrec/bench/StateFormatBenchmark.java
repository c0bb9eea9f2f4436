package org.lmrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.stream.SampleStates;
import org.lmrec.stream.experiment.ExposureOutcomeStateSerializer;
import org.lmrec.stream.state.UserSequenceStateSerializer;

/**
 * What the job pays per event for its two per-user value states: one read and one write of a
 * user's whole state (deserialize then serialize, as RocksDB's value state does), the outcome
 * join's {@link ExposureOutcomeState} and the user window {@link UserSequenceState}, with Flink's
 * Avro serializer (every version before) against the compact ones. The two run
 * interleaved, block by block, timed in the thread's CPU time, so that other processes on a shared
 * machine inflate neither side; the first third of the rounds is warm-up, then the median and the
 * minimum per round trip are printed.
 *
 * <p>Usage: {@code StateFormatBenchmark [rounds=30] [records=50000] [pending=5] [shown=10] [steps=6] [window=50]}:
 * the state of a user in an experiment with {@code pending} open exposures of {@code shown} items
 * each and {@code steps} recent interactions (the defaults: the job's horizon of 5 events, top 10), and a
 * full window of {@code window} entries (the default maximum length).
 */
public final class StateFormatBenchmark {
  private StateFormatBenchmark() {}

  public static void main(String[] args) {
    Args a = new Args(args);
    int rounds = a.getInt("rounds", 30);
    int records = a.getInt("records", 50_000);
    int pending = a.getInt("pending", 5);
    int shown = a.getInt("shown", 10);
    int steps = a.getInt("steps", 6);
    int window = a.getInt("window", 50);
    System.out.printf("Keyed state read + write per event, thread CPU time, %d rounds of %,d (first %d warm-up)%n", rounds, records, rounds / 3);
    System.out.println("| state | serializer | bytes | ns per read + write (median, min) | compact / Avro |");
    System.out.println("|---|---|---:|---:|---:|");
    compare(String.format("outcome join (%d pending exposures of %d items, %d recent interactions)", pending, shown, steps),
        new AvroSerializer<>(ExposureOutcomeState.class), new ExposureOutcomeStateSerializer(), SampleStates.userInExperiment(pending, shown, steps), rounds, records);
    compare(String.format("user window (%d entries)", window), new AvroSerializer<>(UserSequenceState.class), new UserSequenceStateSerializer(),
        SampleStates.fullWindow(window), rounds, records);
  }

  /** Times both serializers on one state, interleaved, and prints two rows of the table. */
  private static <T> void compare(String name, TypeSerializer<T> avro, TypeSerializer<T> compact, T state, int rounds, int records) {
    List<TypeSerializer<T>> serializers = List.of(avro, compact);
    byte[][] bytes = new byte[2][];
    for (int s = 0; s < 2; s++) {
      DataOutputSerializer first = new DataOutputSerializer(1024);
      write(serializers.get(s), state, first);
      bytes[s] = first.getCopyOfBuffer();
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[][] ns = new double[2][rounds];
    DataOutputSerializer out = new DataOutputSerializer(4096);
    DataInputDeserializer in = new DataInputDeserializer();
    for (int round = 0; round < rounds; round++) {
      for (int s = 0; s < 2; s++) {
        TypeSerializer<T> serializer = serializers.get(s);
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < records; i++) {
          in.setBuffer(bytes[s]);
          out.clear();
          write(serializer, read(serializer, in), out);
        }
        ns[s][round] = (cpu.getCurrentThreadCpuTime() - start) / (double) records;
      }
    }
    double[] before = measured(ns[0], rounds);
    double[] after = measured(ns[1], rounds);
    System.out.printf("| %s | Flink's Avro serializer (before) | %d | %.0f (%.0f) | |%n", name, bytes[0].length, before[0], before[1]);
    System.out.printf("| %s | %s | %d | %.0f (%.0f) | %.2f of the bytes, %.2f of the time |%n", name, compact.getClass().getSimpleName(),
        bytes[1].length, after[0], after[1], bytes[1].length / (double) bytes[0].length, after[0] / before[0]);
  }

  private static <T> T read(TypeSerializer<T> serializer, DataInputDeserializer in) {
    try {
      return serializer.deserialize(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> void write(TypeSerializer<T> serializer, T s, DataOutputSerializer out) {
    try {
      serializer.serialize(s, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Median and minimum of the measured (post-warm-up) rounds. */
  private static double[] measured(double[] perRound, int rounds) {
    double[] kept = Arrays.copyOfRange(perRound, rounds / 3, rounds);
    Arrays.sort(kept);
    return new double[] {kept[kept.length / 2], kept[0]};
  }
}
