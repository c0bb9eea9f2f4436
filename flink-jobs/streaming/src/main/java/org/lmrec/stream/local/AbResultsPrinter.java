package org.lmrec.stream.local;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.schema.ArmComparison;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ExperimentResult;

/**
 * The demo's live view of one A/B experiment: reads the job's results topic and turns each look
 * into a few lines (every arm's numbers, then each treatment against the control). Reads from the
 * start of the topic with its own group and keeps only its experiment's looks: the id is new on
 * every demo run, so older runs' looks on the same (compacted) topic never show.
 */
public final class AbResultsPrinter implements AutoCloseable {
  /** Always with seconds (LocalTime's own text drops ":00"). */
  static final java.time.format.DateTimeFormatter HH_MM_SS = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String experimentId;
  private final AvroCodec<ExperimentResult> codec = AvroCodec.of(ExperimentResult.class);
  private long looks;

  public AbResultsPrinter(String bootstrap, KafkaClientProperties kafka, String topic, String experimentId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "lmrec-local-demo-ab-" + experimentId);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    kafka.addTo(p);
    this.consumer = new KafkaConsumer<>(p);
    this.experimentId = experimentId;
    consumer.subscribe(List.of(topic));
  }

  /** The lines of this experiment's looks that arrived within {@code timeout}; empty when none did. */
  public List<String> poll(Duration timeout) {
    List<String> lines = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      ExperimentResult result = codec.decode(r.value());
      if (!result.getExperimentId().equals(experimentId)) continue;
      looks++;
      lines.addAll(format(result));
    }
    return lines;
  }

  /** Looks of this experiment seen so far. */
  public long looks() {
    return looks;
  }

  static List<String> format(ExperimentResult r) {
    List<String> lines = new ArrayList<>();
    String asOf = HH_MM_SS.format(LocalTime.ofInstant(r.getAsOf(), ZoneOffset.UTC));
    lines.add(String.format("A/B %s, look at %s UTC (event time), metric %s: sample ratio (%s) p %.3f%s",
        r.getExperimentId(), asOf, r.getMetric(), r.getSrmUnit(), r.getSrmPValue(),
        r.getSrmAlarm() ? " ALARM: the split is broken, do not read the metrics" : " ok"));
    for (ArmResult a : r.getArms()) {
      lines.add(String.format("    %-8s %-28s users %,6d  exposures %,7d  hit rate %s  MRR %s  latency mean %s",
          a.getName(), a.getModel(), a.getUsers(), a.getExposures(), number(a.getHitRate()), number(a.getMeanReciprocalRank()),
          a.getMeanLatencyMillis() == null ? "-" : String.format("%.0f ms", a.getMeanLatencyMillis())));
    }
    for (ArmComparison c : r.getComparisons()) {
      lines.add(String.format("    %s - %s: %s, %.0f%% always-valid interval (all looks so far) [%s, %s], always-valid p %.3f%s",
          c.getTreatment(), r.getControl(), signed(c.getDifference()), 100 * (1 - r.getAlpha()), signed(c.getLower()), signed(c.getUpper()),
          c.getAlwaysValidP(), c.getSignificant() ? " (significant)" : " (no evidence either way yet)"));
    }
    return lines;
  }

  private static String number(Double v) {
    return v == null ? "-" : String.format("%.4f", v);
  }

  private static String signed(Double v) {
    return v == null ? "-" : String.format("%+.4f", v);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
