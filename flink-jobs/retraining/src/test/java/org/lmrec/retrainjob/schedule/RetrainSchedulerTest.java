package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.retrainjob.schedule.ArchiveFixture.await;
import static org.lmrec.retrainjob.schedule.ArchiveFixture.write;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainSchedulerTest {
  @TempDir Path tmp;

  Path lockFile() {
    return RetrainLock.fileIn(tmp.resolve("work"));
  }

  static ScheduleSettings every(Duration interval) {
    return new ScheduleSettings(interval, 0, null, Duration.ZERO, false);
  }

  @Test
  void firesOnTheInterval() throws Exception {
    List<String> triggers = new CopyOnWriteArrayList<>();
    CountDownLatch threeRuns = new CountDownLatch(3);
    RetrainTask task = trigger -> {
      triggers.add(trigger);
      threeRuns.countDown();
      return RunReport.skipped("nothing new");
    };
    try (RetrainScheduler scheduler = new RetrainScheduler(every(Duration.ofMillis(80)), task, lockFile(), null, new RetrainMetrics())) {
      scheduler.start();
      assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(triggers).startsWith(RetrainTask.INTERVAL, RetrainTask.INTERVAL, RetrainTask.INTERVAL).containsOnly(RetrainTask.INTERVAL);
      await("metrics", () -> scheduler.metrics().runsSucceeded() >= 3);
      assertThat(scheduler.metrics().outcomes(RunReport.SKIPPED)).isGreaterThanOrEqualTo(3);
      assertThat(scheduler.metrics().runsFailed()).isZero();
      assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void runsAtStartAndOnManualTriggers() throws Exception {
    List<String> triggers = new CopyOnWriteArrayList<>();
    RetrainTask task = trigger -> {
      triggers.add(trigger);
      return RunReport.skipped("");
    };
    ScheduleSettings settings = new ScheduleSettings(Duration.ofHours(1), 0, null, null, true);
    try (RetrainScheduler scheduler = new RetrainScheduler(settings, task, lockFile(), null, new RetrainMetrics()).start()) {
      await("start run", () -> triggers.size() == 1 && !scheduler.isRunning());
      assertThat(scheduler.triggerNow()).isTrue();
      await("manual run", () -> triggers.size() == 2);
      assertThat(triggers).containsExactly(RetrainTask.START, RetrainTask.MANUAL);
      await("idle", () -> !scheduler.isRunning());
    }
  }

  @Test
  void firesWhenEnoughNewInteractionsWereArchivedAndKeepsThoseArrivingDuringTheRun() throws Exception {
    Path base = tmp.resolve("archive");
    NewInteractionCounter counter = new NewInteractionCounter(base, tmp.resolve("work"));
    write(base, "date=2024-03-01", "interactions-a-0.avro", 6);
    write(base, "date=2024-03-01", ".interactions-a-1.avro.inprogress.7", 100); // in progress: must not count
    List<String> triggers = new CopyOnWriteArrayList<>();
    RetrainTask task = trigger -> {
      triggers.add(trigger);
      write(base, "date=2024-03-02", "interactions-b-0.avro", 4); // finished while the run goes on
      return RunReport.published("v" + triggers.size(), "trained");
    };
    ScheduleSettings settings = new ScheduleSettings(null, 10, Duration.ofMillis(30), Duration.ZERO, false);
    try (RetrainScheduler scheduler = new RetrainScheduler(settings, task, lockFile(), counter, new RetrainMetrics()).start()) {
      RetrainMetrics metrics = scheduler.metrics();
      await("a poll below the threshold", () -> metrics.newInteractionsPending() == 6);
      assertThat(triggers).isEmpty();

      write(base, "date=2024-03-01", "interactions-a-2.avro", 5);
      await("threshold run", () -> metrics.runsSucceeded() == 1);
      assertThat(triggers).containsExactly(RetrainTask.NEW_INTERACTIONS);
      // the 4 written during the run are still new (and below the threshold, so no second run)
      await("pending after the run", () -> metrics.newInteractionsPending() == 4);
      assertThat(counter.countNew()).isEqualTo(4);
      Thread.sleep(150); // a few more polls
      assertThat(metrics.runsStarted()).isEqualTo(1);
    }
  }

  @Test
  void aManualTriggerIsRefusedWhileThisSchedulersRunIsGoingOn() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    // The run waits for the test, so "while it runs" does not depend on how the threads are scheduled.
    RetrainTask held = trigger -> {
      started.countDown();
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      runs.incrementAndGet();
      return RunReport.skipped(trigger);
    };
    try (RetrainScheduler scheduler = new RetrainScheduler(every(Duration.ofHours(1)), held, lockFile(), null, new RetrainMetrics()).start()) {
      assertThat(scheduler.triggerNow()).isTrue();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(scheduler.isRunning()).isTrue();
      assertThat(scheduler.triggerNow()).isFalse();
      release.countDown();
      await("the run ends", () -> runs.get() == 1 && !scheduler.isRunning());
      assertThat(scheduler.triggerNow()).isTrue();
      await("a second run once the first is over", () -> scheduler.metrics().runsSucceeded() == 2);
      assertThat(runs.get()).isEqualTo(2);
    }
  }

  @Test
  void neverRunsTwoAtOnceInsideOrAcrossSchedulers() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    RetrainTask slow = trigger -> {
      int now = concurrent.incrementAndGet();
      maxConcurrent.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(60);
        runs.incrementAndGet();
        return RunReport.skipped(trigger);
      } finally {
        concurrent.decrementAndGet();
      }
    };
    // Two schedulers (think: two processes) on the same lock file, ticking and triggered faster
    // than a run lasts. Which one wins the lock is up to the thread scheduler (on a loaded machine
    // one may never win), so only what must always hold is asserted: runs happen, the loser's
    // attempts are counted as lock-busy skips, and no two runs ever overlap.
    try (RetrainScheduler a = new RetrainScheduler(every(Duration.ofMillis(20)), slow, lockFile(), null, new RetrainMetrics()).start();
        RetrainScheduler b = new RetrainScheduler(every(Duration.ofMillis(25)), slow, lockFile(), null, new RetrainMetrics()).start()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((runs.get() < 8 || a.metrics().lockBusySkips() + b.metrics().lockBusySkips() == 0) && System.nanoTime() < deadline) {
        a.triggerNow();
        b.triggerNow();
        Thread.sleep(5);
      }
      assertThat(runs.get()).isGreaterThanOrEqualTo(8);
      assertThat(a.metrics().lockBusySkips() + b.metrics().lockBusySkips()).isPositive();
    }
    assertThat(maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void aTickFindingTheLockHeldIsSkippedAndCounted() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    RetrainTask task = trigger -> {
      runs.incrementAndGet();
      return RunReport.skipped("");
    };
    try (RetrainLock manualRun = RetrainLock.tryAcquire(lockFile()).orElseThrow();
        RetrainScheduler scheduler = new RetrainScheduler(every(Duration.ofMillis(30)), task, lockFile(), null, new RetrainMetrics()).start()) {
      await("two skipped ticks", () -> scheduler.metrics().lockBusySkips() >= 2);
      assertThat(runs.get()).isZero();
      assertThat(scheduler.metrics().runsStarted()).isZero();
      manualRun.close();
      await("a run once the lock is free", () -> runs.get() >= 1);
    }
  }

  @Test
  void survivesAFailingRunAndResetsConsecutiveFailuresOnSuccess() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger consecutiveSeenBySecondRun = new AtomicInteger(-1);
    RetrainMetrics metrics = new RetrainMetrics();
    RetrainTask task = trigger -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("simulated training failure (expected in this test)");
      }
      consecutiveSeenBySecondRun.compareAndSet(-1, (int) metrics.consecutiveFailures());
      return RunReport.published("v2", "recovered");
    };
    try (RetrainScheduler scheduler = new RetrainScheduler(every(Duration.ofMillis(60)), task, lockFile(), null, metrics).start()) {
      await("a success after the failure", () -> metrics.runsSucceeded() >= 1);
      assertThat(consecutiveSeenBySecondRun.get()).isEqualTo(1);
      assertThat(metrics.runsFailed()).isEqualTo(1);
      assertThat(metrics.consecutiveFailures()).isZero();
      assertThat(metrics.lastSuccessEpochSeconds()).isPositive();
      assertThat(metrics.render()).contains("lmrec_retrain_runs_failed_total 1\n", "lmrec_retrain_consecutive_failures 0\n");
    }
    // the lock was released despite the failure
    try (RetrainLock free = RetrainLock.tryAcquire(lockFile()).orElseThrow()) {
      assertThat(free.file()).isEqualTo(lockFile());
    }
  }

  @Test
  void theThresholdTriggerWaitsTheRetryBackoffAfterAFailureButAManualTriggerDoesNot() throws Exception {
    Path base = tmp.resolve("archive");
    write(base, "date=2024-03-01", "interactions-a-0.avro", 5);
    NewInteractionCounter counter = new NewInteractionCounter(base, tmp.resolve("work"));
    List<String> triggers = new CopyOnWriteArrayList<>();
    RetrainTask task = trigger -> {
      triggers.add(trigger);
      if (trigger.equals(RetrainTask.NEW_INTERACTIONS)) {
        throw new IllegalStateException("simulated failure (expected in this test)");
      }
      return RunReport.refused("v1", "gate");
    };
    ScheduleSettings settings = new ScheduleSettings(null, 5, Duration.ofMillis(20), Duration.ofMinutes(10), false);
    try (RetrainScheduler scheduler = new RetrainScheduler(settings, task, lockFile(), counter, new RetrainMetrics()).start()) {
      await("first failure", () -> scheduler.metrics().runsFailed() == 1);
      Thread.sleep(150); // several polls, all within the backoff
      assertThat(triggers).containsExactly(RetrainTask.NEW_INTERACTIONS);
      assertThat(counter.countNew()).isEqualTo(5); // a failed run marks nothing seen

      await("idle", () -> !scheduler.isRunning());
      assertThat(scheduler.triggerNow()).isTrue();
      await("manual run", () -> scheduler.metrics().runsSucceeded() == 1);
      assertThat(counter.countNew()).isZero(); // a refused model is still a finished run: its data is used
      assertThat(scheduler.metrics().consecutiveFailures()).isZero();
    }
  }

  @Test
  void settingsNeedATriggerAndSaneDurations() {
    assertThatThrownBy(() -> ScheduleSettings.of(null, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no trigger");
    assertThatThrownBy(() -> ScheduleSettings.of(Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScheduleSettings.of(Duration.ofMinutes(-1), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScheduleSettings.of(Duration.ofHours(1), -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleSettings(null, 10, Duration.ZERO, null, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleSettings(null, 10, null, Duration.ofSeconds(-1), false)).isInstanceOf(IllegalArgumentException.class);

    ScheduleSettings thresholdOnly = ScheduleSettings.of(null, 1000);
    assertThat(thresholdOnly.intervalEnabled()).isFalse();
    assertThat(thresholdOnly.thresholdEnabled()).isTrue();
    assertThat(thresholdOnly.pollInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(thresholdOnly.retryBackoff()).isEqualTo(ScheduleSettings.DEFAULT_RETRY_BACKOFF);
    assertThat(ScheduleSettings.of(Duration.ofDays(1), 0).intervalEnabled()).isTrue();

    RetrainTask task = trigger -> RunReport.skipped("");
    assertThatThrownBy(() -> new RetrainScheduler(thresholdOnly, task, lockFile(), null, new RetrainMetrics()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NewInteractionCounter");
  }
}
