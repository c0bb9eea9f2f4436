package org.lmrec.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;

/**
 * What the single-object header costs per record: decoding an interaction (the job's input) and a
 * 10-item recommendation (its output), and encoding the recommendation, headerless Avro binary (as
 * the codec did before the header: shape check, then Avro's reader; Avro's writer on a direct
 * encoder) against single-object encoding. The variants run interleaved, block by block, timed in
 * the thread's CPU time, so that other processes on a shared machine inflate neither side; the
 * first third of the rounds is warm-up, then the median and minimum per record are printed.
 *
 * <p>Usage: {@code WireFormatBenchmark [rounds=30] [records=200000]} (records per block).
 */
public final class WireFormatBenchmark {
  private WireFormatBenchmark() {}

  private record Variant(String record, String operation, String format, Runnable op) {}

  public static void main(String[] args) {
    Args a = new Args(args);
    int rounds = a.getInt("rounds", 30);
    int records = a.getInt("records", 200_000);
    AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
    AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
    InteractionEvent event = sampleEvent();
    Recommendation rec = sampleRecommendation();
    byte[] eventFramed = events.encode(event);
    byte[] recFramed = recs.encode(rec);
    byte[] eventPlain = plain(event);
    byte[] recPlain = plain(rec);
    AvroCodec<InteractionEvent> eventsPlain = events.withPlainBinaryAccepted(true);
    AvroCodec<Recommendation> recsPlain = recs.withPlainBinaryAccepted(true);
    List<Variant> variants = List.of(
        new Variant("InteractionEvent", "decode", "headerless", () -> eventsPlain.decode(eventPlain)),
        new Variant("InteractionEvent", "decode", "single-object", () -> events.decode(eventFramed)),
        new Variant("Recommendation (10 items)", "decode", "headerless", () -> recsPlain.decode(recPlain)),
        new Variant("Recommendation (10 items)", "decode", "single-object", () -> recs.decode(recFramed)),
        new Variant("Recommendation (10 items)", "encode", "headerless", () -> plain(rec)),
        new Variant("Recommendation (10 items)", "encode", "single-object", () -> recs.encode(rec)));

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[][] ns = new double[variants.size()][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < variants.size(); v++) {
        Runnable op = variants.get(v).op();
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < records; i++) op.run();
        ns[v][round] = (cpu.getCurrentThreadCpuTime() - start) / (double) records;
      }
    }
    System.out.printf("Thread CPU time per record, %d rounds of %,d records each (first %d rounds warm-up); bytes per record:"
        + " interaction %d headerless, %d single-object; recommendation %d, %d%n", rounds, records, rounds / 3,
        eventPlain.length, eventFramed.length, recPlain.length, recFramed.length);
    System.out.println("| record | operation | headerless ns (median, min) | single-object ns (median, min) | difference (medians) |");
    System.out.println("|---|---|---:|---:|---:|");
    for (int v = 0; v < variants.size(); v += 2) {
      double[] before = measured(ns[v], rounds);
      double[] after = measured(ns[v + 1], rounds);
      System.out.printf("| %s | %s | %.0f (%.0f) | %.0f (%.0f) | %+.0f ns (%+.0f%%) |%n", variants.get(v).record(), variants.get(v).operation(),
          before[0], before[1], after[0], after[1], after[0] - before[0], 100 * (after[0] / before[0] - 1));
    }
  }

  /** Median and minimum of the rounds after warm-up. */
  private static double[] measured(double[] perRound, int rounds) {
    double[] kept = Arrays.copyOfRange(perRound, rounds / 3, rounds);
    Arrays.sort(kept);
    return new double[] {kept[kept.length / 2], kept[0]};
  }

  static InteractionEvent sampleEvent() {
    return InteractionEvent.newBuilder().setEventId("ev-000123456").setUserId("user-004711").setItemId("item-000815")
        .setEventType(EventType.CLICK).setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build();
  }

  static Recommendation sampleRecommendation() {
    List<ScoredItem> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) items.add(new ScoredItem(String.format("item-%06d", i * 37), 10f - i));
    return Recommendation.newBuilder().setTriggeringEventId("ev-000123456").setUserId("user-004711").setItems(items)
        .setModelVersion("sasrec-20261205-01").setProducedAt(Instant.ofEpochMilli(1_700_000_000_005L)).setLatencyMillis(5L).build();
  }

  /** Headerless binary as the codec wrote it before the header. */
  static <T extends SpecificRecord> byte[] plain(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
