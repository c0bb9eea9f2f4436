package org.lmrec.stream.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.ExperimentResult;

/** The per-experiment statistics on the real RocksDB backend, through Flink's operator harness. */
class ExperimentStatisticsTest {
  static final long MINUTE = 60_000L;
  static final long START = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  /** A 50/50 experiment between two model lines; {@link OutcomeTalliesTest} uses it too. */
  static final String EXPERIMENT = """
      {"id": "rank-ab", "version": 1, "salt": "s", "start": "2026-11-24T00:00:00Z",
       "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                {"name": "candidate", "weight": 50, "model": {"line": "candidate"}}]}
      """;
  @TempDir Path reports;
  private KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> harness;

  private KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> open(OperatorSubtaskState restore) throws Exception {
    return open(restore, reports);
  }

  private KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> open(OperatorSubtaskState restore, Path reportDir) throws Exception {
    return open(restore, new ExperimentStatistics(Duration.ofMinutes(1), 0.05, 0.05, reportDir.toString()));
  }

  private KeyedBroadcastOperatorTestHarness<String, OutcomeTally, ExperimentUpdate, ExperimentResult> open(OperatorSubtaskState restore, ExperimentStatistics statistics) throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(statistics, List.of(ExperimentStatistics.EXPERIMENTS)),
        (OutcomeTally t) -> t.experimentId, Types.STRING, 128, 1, 0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    h.processBroadcastWatermark(Long.MAX_VALUE); // the job's experiments input is idle: only the outcomes drive event time
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  private void outcome(String user, String arm, boolean first, boolean hit, long time, String... shown) throws Exception {
    ExperimentOutcome o = ExperimentOutcome.newBuilder().setExperimentId("rank-ab").setExperimentArm(arm).setModelVersion("v").setUserId(user)
        .setTriggeringEventId(user + time).setTriggerTime(Instant.ofEpochMilli(time)).setShownItems(List.of(shown)).setLatencyMillis(10L)
        .setFirstExposureOfUser(first).setHit(hit).setReciprocalRank(hit ? 1.0 : 0.0).setEventsSeen(1).setEmptyList(shown.length == 0).build();
    harness.processElement(OutcomeTally.of(o, Math.floorDiv(time, MINUTE) * MINUTE + MINUTE), time); // one outcome per tally, as before the folding
  }

  @Test
  void eachLookReportsBothArmsWithGuardrailsOnTheResultsStreamAndAsFiles() throws Exception {
    harness = open(null);
    harness.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    outcome("u1", "control", true, true, START + 10, "a", "b");
    outcome("u1", "control", false, false, START + 20, "b", "c");
    outcome("u2", "candidate", true, false, START + 30);
    outcome("u3", "candidate", true, true, START + 40, "a");
    harness.processWatermark(new Watermark(START + MINUTE - 1));
    assertThat(harness.extractOutputValues()).isEmpty(); // the first look is at the next whole minute
    harness.processWatermark(new Watermark(START + MINUTE));

    ExperimentResult r = harness.extractOutputValues().get(0);
    assertThat(r.getExperimentId()).isEqualTo("rank-ab");
    assertThat(r.getAsOf()).isEqualTo(Instant.ofEpochMilli(START + MINUTE));
    assertThat(r.getSrmUnit()).isEqualTo("users");
    assertThat(r.getArms()).extracting(ArmResult::getName).containsExactly("control", "candidate");
    ArmResult control = r.getArms().get(0);
    ArmResult candidate = r.getArms().get(1);
    assertThat(control.getUsers()).isEqualTo(1);
    assertThat(control.getExposures()).isEqualTo(2);
    assertThat(control.getMean()).isEqualTo(0.5);
    assertThat(control.getDistinctItemsShown()).isEqualTo(3);
    assertThat(candidate.getUsers()).isEqualTo(2);
    assertThat(candidate.getEmptyLists()).isEqualTo(1);
    assertThat(candidate.getDistinctItemsShown()).isEqualTo(1);
    assertThat(candidate.getMeanLatencyMillis()).isEqualTo(10.0);
    assertThat(r.getComparisons()).singleElement().satisfies(c -> {
      assertThat(c.getTreatment()).isEqualTo("candidate");
      assertThat(c.getDifference()).isEqualTo(0.0);
    });
    JsonNode json = new ObjectMapper().readTree(reports.resolve("rank-ab.json").toFile());
    assertThat(json.get("arms").get(1).get("guardrails").get("users").asLong()).isEqualTo(2);
    assertThat(Files.size(reports.resolve("rank-ab.png"))).isPositive();
  }

  @Test
  void theTestsAndTimelineContinueAfterARestore() throws Exception {
    harness = open(null);
    harness.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    for (int u = 0; u < 50; u++) outcome("c" + u, "control", true, u % 5 == 0, START + u);
    for (int u = 0; u < 50; u++) outcome("t" + u, "candidate", true, u % 2 == 0, START + u);
    harness.processWatermark(new Watermark(START + MINUTE));
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(snapshot);
    for (int u = 50; u < 100; u++) outcome("t" + u, "candidate", true, u % 2 == 0, START + MINUTE + u);
    harness.processWatermark(new Watermark(START + 2 * MINUTE));

    ExperimentResult second = harness.extractOutputValues().get(0);
    assertThat(second.getArms().get(1).getExposures()).isEqualTo(100);
    assertThat(second.getArms().get(0).getExposures()).isEqualTo(50);
    JsonNode json = new ObjectMapper().readTree(reports.resolve("rank-ab.json").toFile());
    assertThat(json.get("comparisons").get(0).get("timeline")).hasSize(2); // the look before the restore is kept
    // 50 vs 100 users against 50/50 weights: chi-square 16.7, p 4.5e-5, an alarm.
    assertThat(second.getSrmChiSquare()).isCloseTo(50.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(second.getSrmAlarm()).isTrue();
  }

  @Test
  void outcomesOfAnExperimentNotKnownYetAreKeptForItsFirstLook() throws Exception {
    harness = open(null);
    outcome("u1", "control", true, true, START + 10, "a");
    harness.processWatermark(new Watermark(START + MINUTE));
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    outcome("u2", "candidate", true, false, START + MINUTE + 10, "b");
    harness.processWatermark(new Watermark(START + 2 * MINUTE));
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(r -> assertThat(r.getArms()).extracting(ArmResult::getExposures).containsExactly(1L, 1L));
  }

  @Test
  void aReportThatCannotBeWrittenCostsTheFilesNotTheJob() throws Exception {
    Path notADirectory = Files.writeString(reports.resolve("occupied"), "a file where the report directory should be");
    harness = open(null, notADirectory);
    harness.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    outcome("u1", "control", true, true, START + 10, "a");
    harness.processWatermark(new Watermark(START + MINUTE));
    outcome("u2", "candidate", true, false, START + MINUTE + 10, "b");
    harness.processWatermark(new Watermark(START + 2 * MINUTE));
    assertThat(harness.extractOutputValues()).hasSize(2).last()
        .satisfies(r -> assertThat(r.getArms()).extracting(ArmResult::getExposures).containsExactly(1L, 1L));
    assertThat(Files.readString(notADirectory)).startsWith("a file");
  }

  @Test
  void anExperimentsStateIsDroppedAfterItsRetentionWithoutOutcomesAndOnlyThen() throws Exception {
    harness = open(null, new ExperimentStatistics(Duration.ofMinutes(1), 0.05, 0.05, reports.toString(), Duration.ofMinutes(10), ExperimentLimits.DEFAULTS));
    harness.processBroadcastElement(ExperimentUpdate.of("rank-ab", EXPERIMENT), 0);
    harness.setProcessingTime(0);
    outcome("u1", "control", true, true, START + 10, "a");
    harness.setProcessingTime(9 * MINUTE);
    outcome("u2", "candidate", true, false, START + 20, "b"); // moves the deadline to 20 min
    harness.setProcessingTime(15 * MINUTE); // the first deadline passes: nothing is dropped
    harness.processWatermark(new Watermark(START + MINUTE));
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(r -> assertThat(r.getArms()).extracting(ArmResult::getExposures).containsExactly(1L, 1L));

    harness.setProcessingTime(25 * MINUTE); // ten minutes without an outcome: dropped
    outcome("u3", "candidate", true, true, START + MINUTE + 10, "c");
    harness.processWatermark(new Watermark(START + 2 * MINUTE));
    assertThat(harness.extractOutputValues()).hasSize(2).last() // a fresh tally: only u3
        .satisfies(r -> assertThat(r.getArms()).extracting(ArmResult::getExposures).containsExactly(0L, 1L));
  }
}
