package org.lmrec.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.flink.kafka.AvroRecordSerializer;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.schema.ArmComparison;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.stream.InProcessKafka;

/** The demo's A/B view reads the results topic of a real broker the way the job writes it (its own sink serializer). */
class AbResultsPrinterTest {
  private static final String TOPIC = LocalDemo.AB_RESULTS_TOPIC;

  @TempDir Path dir;

  @Test
  void printsEachLookOfItsOwnExperimentAsItArrivesAndNoneOfAnEarlierRun() throws Exception {
    try (InProcessKafka kafka = new InProcessKafka(dir.resolve("kafka"))) {
      kafka.createTopic(TOPIC, 1, true);
      send(kafka, look("demo-ab-1000", 0.5, 0.9));   // a previous demo run's experiment on the same compacted topic
      send(kafka, look("demo-ab-2000", 0.6, 0.01));

      try (AbResultsPrinter printer = new AbResultsPrinter(kafka.bootstrapServers(), KafkaClientProperties.none(), TOPIC, "demo-ab-2000")) {
        List<String> first = pollUntilLines(printer);
        assertThat(first).hasSize(4);
        assertThat(first.get(0)).isEqualTo("A/B demo-ab-2000, look at 12:01:00 UTC (event time), metric hit: sample ratio (users) p 0.600 ok");
        assertThat(first.get(1)).contains("control", "line:main", "users    120", "exposures     500", "hit rate 0.2500", "MRR 0.1000", "latency mean 18 ms");
        assertThat(first.get(2)).contains("gru4rec", "line:gru4rec", "users    118", "hit rate 0.2200", "MRR -", "latency mean -");
        assertThat(first.get(3)).isEqualTo(
            "    gru4rec - control: -0.0300, 95% always-valid interval (all looks so far) [-0.0600, -0.0050], always-valid p 0.010 (significant)");
        assertThat(String.join("\n", first)).doesNotContain("demo-ab-1000");

        // A later look arrives while the demo runs: printed too, with its SRM alarm.
        ExperimentResult alarm = look("demo-ab-2000", 0.0001, 0.2);
        alarm.setSrmAlarm(true);
        send(kafka, alarm);
        List<String> second = pollUntilLines(printer);
        assertThat(second.get(0)).endsWith("p 0.000 ALARM: the split is broken, do not read the metrics");
        assertThat(second.get(3)).endsWith("always-valid p 0.200 (no evidence either way yet)");
        assertThat(printer.looks()).isEqualTo(2);
      }
    }
  }

  private static List<String> pollUntilLines(AbResultsPrinter printer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> lines = new ArrayList<>();
    while (lines.isEmpty() && System.nanoTime() < deadline) lines.addAll(printer.poll(Duration.ofMillis(200)));
    assertThat(lines).as("lines printed within 60 s").isNotEmpty();
    return lines;
  }

  private static void send(InProcessKafka kafka, ExperimentResult r) throws Exception {
    ProducerRecord<byte[], byte[]> record = AvroRecordSerializer.experimentResults(TOPIC).serialize(r, null, r.getAsOf().toEpochMilli());
    kafka.send(TOPIC, record.key(), record.value());
  }

  private static ExperimentResult look(String id, double srmP, double alwaysValidP) {
    Instant asOf = Instant.parse("2026-12-06T12:01:00Z");
    return ExperimentResult.newBuilder()
        .setExperimentId(id).setExperimentVersion(1).setMetric("hit").setAsOf(asOf).setAlpha(0.05).setControl("control")
        .setArms(List.of(arm("control", "line:main", 120, 500, 0.25, 0.10, 18.2), arm("gru4rec", "line:gru4rec", 118, 480, 0.22, null, null)))
        .setSrmUnit("users").setSrmChiSquare(0.27).setSrmPValue(srmP).setSrmAlarm(false)
        .setComparisons(List.of(ArmComparison.newBuilder().setTreatment("gru4rec").setTime(asOf).setDifference(-0.03)
            .setLower(-0.06).setUpper(-0.005).setAlwaysValidP(alwaysValidP).setSignificant(alwaysValidP < 0.05).build()))
        .build();
  }

  private static ArmResult arm(String name, String model, long users, long exposures, double hitRate, Double mrr, Double latency) {
    return ArmResult.newBuilder().setName(name).setWeight(50).setModel(model).setUsers(users).setExposures(exposures)
        .setMean(hitRate).setVariance(hitRate * (1 - hitRate)).setHitRate(hitRate).setMeanReciprocalRank(mrr).setEmptyLists(0)
        .setMeanLatencyMillis(latency).setMaxLatencyMillis(latency == null ? null : 40L).setDistinctItemsShown(300).build();
  }
}
