package org.lmrec.retrainjob.schedule;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's counters and gauges, rendered in the Prometheus text exposition format so
 * that a failing or stalled retraining raises an alert instead of silently serving an ever older
 * model (alert on {@code lmrec_retrain_consecutive_failures} or on the age of
 * {@code lmrec_retrain_last_success_timestamp_seconds}). Hand-written rather than a metrics
 * library: a dozen values, no new dependency. Thread-safe; all names start with
 * {@value #PREFIX}.
 */
public final class RetrainMetrics {
  public static final String PREFIX = "lmrec_retrain_";

  private final Clock clock;
  private final AtomicLong runsStarted = new AtomicLong();
  private final AtomicLong runsSucceeded = new AtomicLong();
  private final AtomicLong runsFailed = new AtomicLong();
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicLong lockBusySkips = new AtomicLong();
  private final AtomicLong archiveStateFailures = new AtomicLong();
  private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
  private final AtomicLong lastRunDurationMillis = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong newInteractionsPending = new AtomicLong();
  private final Map<String, AtomicLong> outcomes = new ConcurrentSkipListMap<>();
  private volatile String lastOutcome = "";

  public RetrainMetrics() {
    this(Clock.systemUTC());
  }

  /** @param clock gives the last-success timestamp */
  public RetrainMetrics(Clock clock) {
    this.clock = clock;
    for (String kind : new String[] {RunReport.PUBLISHED, RunReport.REFUSED, RunReport.SKIPPED}) {
      outcomes.put(kind, new AtomicLong());
    }
  }

  /** A run started (the lock is held). */
  public void runStarted() {
    runsStarted.incrementAndGet();
    running.set(1);
  }

  /** A run returned a report: it succeeded, whatever its outcome. */
  public void runSucceeded(RunReport report, Duration duration) {
    // the run counter last: who sees it incremented sees the rest updated
    running.set(0);
    consecutiveFailures.set(0);
    outcomes.computeIfAbsent(report.outcome(), k -> new AtomicLong()).incrementAndGet();
    lastOutcome = report.outcome();
    lastSuccessEpochSeconds.set(clock.instant().getEpochSecond());
    lastRunDurationMillis.set(duration.toMillis());
    runsSucceeded.incrementAndGet();
  }

  /** A run threw, or one could not be started (the lock file could not be opened). */
  public void runFailed(Duration duration) {
    running.set(0);
    consecutiveFailures.incrementAndGet();
    lastOutcome = "failed";
    lastRunDurationMillis.set(duration.toMillis());
    runsFailed.incrementAndGet();
  }

  /** A trigger was dropped because another process (or holder) had the retraining lock. */
  public void lockBusy() {
    lockBusySkips.incrementAndGet();
  }

  /** Counting the new archived interactions, or recording them as seen, failed. */
  public void archiveStateFailed() {
    archiveStateFailures.incrementAndGet();
  }

  public void newInteractionsPending(long records) {
    newInteractionsPending.set(records);
  }

  public long runsStarted() {
    return runsStarted.get();
  }

  public long runsSucceeded() {
    return runsSucceeded.get();
  }

  public long runsFailed() {
    return runsFailed.get();
  }

  public long consecutiveFailures() {
    return consecutiveFailures.get();
  }

  public long lockBusySkips() {
    return lockBusySkips.get();
  }

  public long archiveStateFailures() {
    return archiveStateFailures.get();
  }

  /** Epoch seconds of the last successful run's end, 0 if none yet. */
  public long lastSuccessEpochSeconds() {
    return lastSuccessEpochSeconds.get();
  }

  public boolean running() {
    return running.get() != 0;
  }

  public long newInteractionsPending() {
    return newInteractionsPending.get();
  }

  /** How many successful runs ended with this outcome. */
  public long outcomes(String outcome) {
    AtomicLong n = outcomes.get(outcome);
    return n == null ? 0 : n.get();
  }

  /** The last run's outcome ("failed" if it threw), empty before the first run. */
  public String lastOutcome() {
    return lastOutcome;
  }

  /** All metrics in the Prometheus text exposition format (version 0.0.4). */
  public String render() {
    StringBuilder out = new StringBuilder(2048);
    counter(out, "runs_started_total", "Retraining runs started (lock acquired).", runsStarted.get());
    counter(out, "runs_succeeded_total", "Retraining runs that returned a report (published, refused or skipped).", runsSucceeded.get());
    counter(out, "runs_failed_total", "Retraining runs that threw, or that could not start (lock file error).", runsFailed.get());
    gauge(out, "consecutive_failures", "Failed runs since the last successful one.", consecutiveFailures.get());
    counter(out, "lock_busy_skips_total", "Triggers skipped because another process held the retraining lock.", lockBusySkips.get());
    counter(out, "archive_state_failures_total", "Failures to count the new archived interactions or to record them as seen.",
        archiveStateFailures.get());
    gauge(out, "last_success_timestamp_seconds", "Unix time of the last successful run's end; 0 if none since the process started.",
        lastSuccessEpochSeconds.get());
    help(out, "last_run_duration_seconds", "gauge", "Duration of the last finished run, successful or not.");
    out.append(PREFIX).append("last_run_duration_seconds ")
        .append(String.format(Locale.ROOT, "%.3f", lastRunDurationMillis.get() / 1000.0)).append('\n');
    gauge(out, "running", "1 while a run is going on in this process, else 0.", running.get());
    gauge(out, "new_interactions_pending", "Archived interactions not used by a successful run yet, at the last poll.",
        newInteractionsPending.get());
    help(out, "run_outcomes_total", "counter", "Successful runs by outcome.");
    for (Map.Entry<String, AtomicLong> e : outcomes.entrySet()) {
      out.append(PREFIX).append("run_outcomes_total{outcome=\"").append(e.getKey()).append("\"} ")
          .append(e.getValue().get()).append('\n');
    }
    String last = lastOutcome;
    help(out, "last_run_outcome", "gauge", "1 for the outcome of the last finished run (failed if it threw).");
    if (!last.isEmpty()) {
      out.append(PREFIX).append("last_run_outcome{outcome=\"").append(last).append("\"} 1\n");
    }
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    help(out, name, "counter", help);
    out.append(PREFIX).append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    help(out, name, "gauge", help);
    out.append(PREFIX).append(name).append(' ').append(value).append('\n');
  }

  private static void help(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
  }
}
