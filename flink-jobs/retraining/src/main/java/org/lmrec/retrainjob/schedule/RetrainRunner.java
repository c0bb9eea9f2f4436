package org.lmrec.retrainjob.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one retraining the way every entry point must: under the {@link RetrainLock}, with the
 * archive snapshot taken before and marked seen only after success, and with the outcome in the
 * {@link RetrainMetrics}. The {@link RetrainScheduler} decides when to call it; a one-shot
 * {@code lmrec-retrain run} (or a CronJob pod) can call it directly and so gets the same
 * exclusion and bookkeeping.
 */
public final class RetrainRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainRunner.class);

  private final RetrainTask task;
  private final Path lockFile;
  private final NewInteractionCounter counter;
  private final RetrainMetrics metrics;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param task the retraining itself
   * @param lockFile the lock file shared by every process that retrains on this work directory
   *     (usually {@link RetrainLock#fileIn(Path) RetrainLock.fileIn(workDir)})
   * @param counter marks the archive files a successful run used as seen; null = no bookkeeping
   * @param metrics where runs are counted
   */
  public RetrainRunner(RetrainTask task, Path lockFile, NewInteractionCounter counter, RetrainMetrics metrics) {
    this.task = Objects.requireNonNull(task, "task");
    this.lockFile = Objects.requireNonNull(lockFile, "lockFile");
    this.counter = counter;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Runs the task now on the calling thread if nobody else is retraining. Every failure is
   * logged here with its stack trace and counted before it is rethrown.
   *
   * @param trigger why (see {@link RetrainTask})
   * @return the run's report, or empty when the lock was busy (logged and counted; nothing ran)
   * @throws Exception the task's failure, or an {@link IOException} when the lock file cannot be
   *     opened
   */
  public Optional<RunReport> runIfFree(String trigger) throws Exception {
    Optional<RetrainLock> acquired;
    try {
      acquired = RetrainLock.tryAcquire(lockFile);
    } catch (IOException | RuntimeException e) {
      metrics.runFailed(Duration.ZERO);
      LOG.error("Retraining ({}) not started: cannot open the lock file {}", trigger, lockFile, e);
      throw e;
    }
    if (acquired.isEmpty()) {
      metrics.lockBusy();
      LOG.info("Retraining ({}) skipped: another retraining holds {} ({})", trigger, lockFile,
          RetrainLock.describeHolder(lockFile));
      return Optional.empty();
    }
    try (RetrainLock held = acquired.get()) {
      running.set(true);
      return Optional.of(runLocked(trigger));
    } finally {
      running.set(false);
    }
  }

  private RunReport runLocked(String trigger) throws Exception {
    NewInteractionCounter.Snapshot snapshot = null;
    if (counter != null) {
      try {
        snapshot = counter.snapshot();
      } catch (IOException | RuntimeException e) {
        metrics.archiveStateFailed();
        LOG.warn("Retraining ({}): cannot list the archive, the run goes on but will not mark files seen", trigger, e);
      }
    }
    LOG.info("Retraining ({}) started{}", trigger,
        snapshot == null ? "" : "; " + snapshot.newRecords() + " new interactions in " + snapshot.newFiles() + " new archive files");
    metrics.runStarted();
    long start = System.nanoTime();
    RunReport report;
    try {
      report = task.run(trigger);
      if (report == null) {
        throw new IllegalStateException("the retraining task returned no report");
      }
    } catch (Exception | Error e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.runFailed(took);
      LOG.error("Retraining ({}) failed after {} s", trigger, took.toSeconds(), e);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.info("Retraining ({}) {} in {} s{}: {}", trigger, report.outcome(), took.toSeconds(),
        report.version() == null ? "" : ", version " + report.version(), report.message());
    // any outcome (published, refused, skipped) used the data: mark it before counting the success,
    // so whoever sees the success in the metrics also sees the files marked
    if (snapshot != null) {
      try {
        counter.markSeen(snapshot);
        metrics.newInteractionsPending(counter.countNew());
      } catch (IOException | RuntimeException e) {
        metrics.archiveStateFailed();
        LOG.error("Retraining ({}) succeeded but recording its archive files as seen in {} failed; "
            + "they will count as new again", trigger, counter.stateFile(), e);
      }
    }
    metrics.runSucceeded(report, took);
    return report;
  }

  /** Whether this runner is inside a run now (this process only). */
  public boolean isRunning() {
    return running.get();
  }

  public RetrainMetrics metrics() {
    return metrics;
  }

  /** The counter given at construction, or null. */
  public NewInteractionCounter counter() {
    return counter;
  }
}
