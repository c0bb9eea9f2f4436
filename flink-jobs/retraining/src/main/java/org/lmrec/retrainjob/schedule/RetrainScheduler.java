package org.lmrec.retrainjob.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running retraining mode ({@code lmrec-retrain schedule}): retrains every interval,
 * when enough new interactions were archived, and on request, keeping the served model fresh
 * without a cluster scheduler. (In Kubernetes the CronJob in {@code deploy/k8s} is the
 * alternative: one process per run, same lock.)
 *
 * <p>Everything (interval ticks, threshold polls, manual triggers) runs on one single-thread
 * executor, so runs never overlap inside the process; each run also takes the
 * {@link RetrainLock} through the {@link RetrainRunner}, so they never overlap with a run of
 * another process either: a tick that finds the lock held is logged, counted and dropped (the
 * next tick tries again). A failed run is logged with its stack trace and counted; the scheduler
 * keeps going, the next interval tick or threshold poll (after {@code retryBackoff}) retries.
 * Interval ticks are at a fixed rate: a run longer than the interval delays the next tick, it
 * does not pile up several.
 */
public final class RetrainScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainScheduler.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final ScheduleSettings settings;
  private final RetrainRunner runner;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean manualQueued = new AtomicBoolean();
  private volatile boolean closed;
  private volatile long lastFailureNanos;
  private volatile boolean failedSinceSuccess;

  /**
   * @param settings when to run
   * @param runner how to run (lock, archive bookkeeping, metrics); its counter must not be null
   *     when the threshold trigger is on
   */
  public RetrainScheduler(ScheduleSettings settings, RetrainRunner runner) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.runner = Objects.requireNonNull(runner, "runner");
    if (settings.thresholdEnabled() && runner.counter() == null) {
      throw new IllegalArgumentException("the new-interaction threshold needs a NewInteractionCounter");
    }
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "lmrec-retrain-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Same as {@code new RetrainScheduler(settings, new RetrainRunner(task, lockFile, counter, metrics))}. */
  public RetrainScheduler(ScheduleSettings settings, RetrainTask task, Path lockFile, NewInteractionCounter counter,
      RetrainMetrics metrics) {
    this(settings, new RetrainRunner(task, lockFile, counter, metrics));
  }

  /**
   * Schedules the triggers. The scheduler's thread is a daemon: the caller keeps the JVM alive
   * (e.g. waits for a shutdown signal) and closes the scheduler on the way out.
   *
   * @return this
   * @throws IllegalStateException if already started or closed
   */
  public RetrainScheduler start() {
    if (closed || !started.compareAndSet(false, true)) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    if (settings.runAtStart()) {
      executor.execute(guarded("start", () -> run(RetrainTask.START)));
    }
    if (settings.intervalEnabled()) {
      long every = settings.interval().toNanos();
      executor.scheduleAtFixedRate(guarded("interval", () -> run(RetrainTask.INTERVAL)), every, every, TimeUnit.NANOSECONDS);
    }
    if (settings.thresholdEnabled()) {
      long poll = settings.pollInterval().toNanos();
      executor.scheduleWithFixedDelay(guarded("poll", this::poll), poll, poll, TimeUnit.NANOSECONDS);
    }
    LOG.info("Retraining scheduler started: interval {}, new-interaction threshold {} (polled every {}), retry backoff {}, run at start {}",
        settings.intervalEnabled() ? settings.interval() : "off",
        settings.thresholdEnabled() ? settings.newInteractionThreshold() : "off",
        settings.pollInterval(), settings.retryBackoff(), settings.runAtStart());
    return this;
  }

  /**
   * Asks for a run as soon as the scheduler's thread is free (a manual trigger; {@code POST
   * /trigger}). It still needs the lock: if another process is retraining, the run is skipped.
   *
   * @return true if a run was queued; false if a run is going on in this process, a manual run is
   *     already queued, or the scheduler is closed
   */
  public boolean triggerNow() {
    if (closed || runner.isRunning() || !manualQueued.compareAndSet(false, true)) {
      return false;
    }
    try {
      executor.execute(guarded("manual", () -> {
        manualQueued.set(false);
        run(RetrainTask.MANUAL);
      }));
      return true;
    } catch (RuntimeException rejectedAfterClose) {
      manualQueued.set(false);
      return false;
    }
  }

  /** Whether a run is going on in this process. */
  public boolean isRunning() {
    return runner.isRunning();
  }

  public RetrainMetrics metrics() {
    return runner.metrics();
  }

  public ScheduleSettings settings() {
    return settings;
  }

  private void poll() throws Exception {
    long pending;
    try {
      pending = runner.counter().countNew();
    } catch (Exception e) {
      runner.metrics().archiveStateFailed();
      LOG.warn("Cannot count the new archived interactions; the threshold trigger waits for the next poll", e);
      return;
    }
    runner.metrics().newInteractionsPending(pending);
    if (pending < settings.newInteractionThreshold()) {
      return;
    }
    if (failedSinceSuccess && System.nanoTime() - lastFailureNanos < settings.retryBackoff().toNanos()) {
      LOG.debug("{} new interactions, but the last run failed less than {} ago", pending, settings.retryBackoff());
      return;
    }
    LOG.info("{} new archived interactions (threshold {}): retraining", pending, settings.newInteractionThreshold());
    run(RetrainTask.NEW_INTERACTIONS);
  }

  private void run(String trigger) {
    try {
      if (runner.runIfFree(trigger).isPresent()) {
        failedSinceSuccess = false;
      }
    } catch (Exception | Error e) {
      // already logged with its stack trace and counted by the runner
      lastFailureNanos = System.nanoTime();
      failedSinceSuccess = true;
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Keeps a periodic task alive: the executor cancels one for good the first time it throws. */
  private Runnable guarded(String what, Step step) {
    return () -> {
      if (closed) {
        return;
      }
      try {
        step.run();
      } catch (Throwable t) {
        LOG.error("Retraining scheduler: {} step failed", what, t);
      }
    };
  }

  /**
   * Stops scheduling, interrupts a run in progress (an interrupted run is a failed run: nothing
   * is marked seen, and the lock is released) and waits up to 30 s for it to end.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Retraining scheduler closed, but the run in progress did not stop within {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
