package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetrainMetricsTest {
  final RetrainMetrics metrics = new RetrainMetrics(Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

  @Test
  void rendersThePrometheusTextFormatWithHelpAndTypeForEveryMetric() {
    String text = metrics.render();
    List<String> lines = Arrays.asList(text.split("\n"));
    Set<String> samples = lines.stream().filter(l -> !l.startsWith("#"))
        .map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
    assertThat(samples).containsExactlyInAnyOrder(
        "lmrec_retrain_runs_started_total", "lmrec_retrain_runs_succeeded_total", "lmrec_retrain_runs_failed_total",
        "lmrec_retrain_consecutive_failures", "lmrec_retrain_lock_busy_skips_total", "lmrec_retrain_archive_state_failures_total",
        "lmrec_retrain_last_success_timestamp_seconds", "lmrec_retrain_last_run_duration_seconds", "lmrec_retrain_running",
        "lmrec_retrain_new_interactions_pending", "lmrec_retrain_run_outcomes_total");
    for (String name : samples) {
      assertThat(lines).contains("# TYPE " + name + (name.endsWith("_total") ? " counter" : " gauge"));
      assertThat(lines).anyMatch(l -> l.startsWith("# HELP " + name + " "));
    }
    assertThat(lines).allMatch(l -> l.startsWith("# HELP lmrec_retrain_") || l.startsWith("# TYPE lmrec_retrain_")
        || l.matches("lmrec_retrain_[a-z_]+(\\{outcome=\"[a-z]+\"})? [0-9.]+"));
    assertThat(text).endsWith("\n");
    assertThat(lines).contains("lmrec_retrain_run_outcomes_total{outcome=\"published\"} 0",
        "lmrec_retrain_run_outcomes_total{outcome=\"refused\"} 0", "lmrec_retrain_run_outcomes_total{outcome=\"skipped\"} 0");
  }

  @Test
  void countsRunsFailuresAndOutcomes() {
    metrics.runStarted();
    assertThat(metrics.render()).contains("lmrec_retrain_running 1\n");
    metrics.runFailed(Duration.ofMillis(1500));
    metrics.runStarted();
    metrics.runFailed(Duration.ofMillis(10));
    assertThat(metrics.render()).contains("lmrec_retrain_consecutive_failures 2\n", "lmrec_retrain_last_run_outcome{outcome=\"failed\"} 1\n");
    metrics.runStarted();
    metrics.runSucceeded(RunReport.published("v7", "ok"), Duration.ofMillis(2250));
    metrics.runStarted();
    metrics.runSucceeded(RunReport.refused("v8", "worse than v7"), Duration.ofMillis(500));
    metrics.lockBusy();
    metrics.newInteractionsPending(42);

    assertThat(metrics.render()).contains(
        "lmrec_retrain_runs_started_total 4\n",
        "lmrec_retrain_runs_succeeded_total 2\n",
        "lmrec_retrain_runs_failed_total 2\n",
        "lmrec_retrain_consecutive_failures 0\n",
        "lmrec_retrain_lock_busy_skips_total 1\n",
        "lmrec_retrain_last_success_timestamp_seconds 1700000000\n",
        "lmrec_retrain_last_run_duration_seconds 0.500\n",
        "lmrec_retrain_running 0\n",
        "lmrec_retrain_new_interactions_pending 42\n",
        "lmrec_retrain_run_outcomes_total{outcome=\"published\"} 1\n",
        "lmrec_retrain_run_outcomes_total{outcome=\"refused\"} 1\n",
        "lmrec_retrain_last_run_outcome{outcome=\"refused\"} 1\n");
    assertThat(metrics.outcomes(RunReport.PUBLISHED)).isEqualTo(1);
    assertThat(metrics.lastOutcome()).isEqualTo(RunReport.REFUSED);
  }
}
