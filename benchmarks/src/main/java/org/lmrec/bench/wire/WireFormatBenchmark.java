package org.lmrec.bench.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the single-object header costs: decoding and encoding an interaction (the job's input) and a
 * recommendation with 10 items (its output), headerless Avro binary (the format before the header,
 * read exactly as the old codec did: shape check, then Avro's reader) against single-object
 * encoding (header checked, fingerprint looked up, then the same). One operation = one record.
 *
 * <p>Usage: {@code WireFormatBenchmark [forks=1] [warmups=3] [iterations=5] [seconds=1]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireFormatBenchmark {
  private AvroCodec<InteractionEvent> events;
  private AvroCodec<InteractionEvent> plainEvents;
  private AvroCodec<Recommendation> recs;
  private AvroCodec<Recommendation> plainRecs;
  private InteractionEvent event;
  private Recommendation rec;
  private byte[] eventPlain;
  private byte[] eventFramed;
  private byte[] recPlain;
  private byte[] recFramed;

  @Setup
  public void setUp() {
    events = AvroCodec.of(InteractionEvent.class);
    plainEvents = events.withPlainBinaryAccepted(true);
    recs = AvroCodec.of(Recommendation.class);
    plainRecs = recs.withPlainBinaryAccepted(true);
    event = sampleEvent();
    rec = sampleRecommendation();
    eventPlain = plain(event);
    eventFramed = events.encode(event);
    recPlain = plain(rec);
    recFramed = recs.encode(rec);
  }

  @Benchmark
  public InteractionEvent decodeEventPlain() {
    return plainEvents.decode(eventPlain);
  }

  @Benchmark
  public InteractionEvent decodeEventSingleObject() {
    return events.decode(eventFramed);
  }

  @Benchmark
  public Recommendation decodeRecommendationPlain() {
    return plainRecs.decode(recPlain);
  }

  @Benchmark
  public Recommendation decodeRecommendationSingleObject() {
    return recs.decode(recFramed);
  }

  @Benchmark
  public byte[] encodeRecommendationPlain() {
    return plain(rec);
  }

  @Benchmark
  public byte[] encodeRecommendationSingleObject() {
    return recs.encode(rec);
  }

  static InteractionEvent sampleEvent() {
    return InteractionEvent.newBuilder().setEventId("ev-000123456").setUserId("user-004711").setItemId("item-000815")
        .setEventType(EventType.CLICK).setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build();
  }

  static Recommendation sampleRecommendation() {
    List<ScoredItem> items = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) items.add(new ScoredItem("item-" + String.format("%06d", i * 37), 10f - i));
    return Recommendation.newBuilder().setTriggeringEventId("ev-000123456").setUserId("user-004711").setItems(items)
        .setModelVersion("sasrec-20261205-01").setProducedAt(Instant.ofEpochMilli(1_700_000_000_005L)).setLatencyMillis(5L).build();
  }

  /** Headerless binary as the codec wrote it before the header: Avro's writer on a direct encoder. */
  static <T extends org.apache.avro.specific.SpecificRecord> byte[] plain(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void main(String[] args) throws RunnerException {
    Map<String, String> a = new TreeMap<>();
    for (String arg : args) a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "1"));
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(WireFormatBenchmark.class.getName())
        .forks(Integer.parseInt(a.getOrDefault("forks", "1")))
        .warmupIterations(Integer.parseInt(a.getOrDefault("warmups", "3")))
        .measurementIterations(Integer.parseInt(a.getOrDefault("iterations", "5")))
        .warmupTime(TimeValue.seconds(seconds))
        .measurementTime(TimeValue.seconds(seconds))
        .jvmArgs("-Xmx512m")
        .build()).run();
    Map<String, double[]> ns = new TreeMap<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
      ns.put(method, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    WireFormatBenchmark b = new WireFormatBenchmark();
    b.setUp();
    System.out.println();
    System.out.println("| record | operation | headerless ns | single-object ns | difference | bytes headerless → single-object |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    row(ns, "InteractionEvent", "decode", "decodeEvent", b.eventPlain.length, b.eventFramed.length);
    row(ns, "Recommendation (10 items)", "decode", "decodeRecommendation", b.recPlain.length, b.recFramed.length);
    row(ns, "Recommendation (10 items)", "encode", "encodeRecommendation", b.recPlain.length, b.recFramed.length);
  }

  private static void row(Map<String, double[]> ns, String record, String op, String prefix, int plainBytes, int framedBytes) {
    double[] before = ns.get(prefix + "Plain");
    double[] after = ns.get(prefix + "SingleObject");
    if (before == null || after == null) return;
    System.out.printf("| %s | %s | %.0f ± %.0f | %.0f ± %.0f | %+.0f%% | %d → %d |%n", record, op, before[0], before[1], after[0], after[1],
        100 * (after[0] / before[0] - 1), plainBytes, framedBytes);
  }
}
