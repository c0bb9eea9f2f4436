package org.lmrec.enhance;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one long enhancer stage: a progress bar with ETA on a terminal, and a log line every
 * tenth of the work otherwise (CI logs, redirected output), so long stages are never silent.
 */
public final class StageProgress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageProgress.class);

  private final String task;
  private final long total;
  private final ProgressBar bar;
  private final long start = System.nanoTime();
  private long done;
  private long nextLog;

  public StageProgress(String task, long total, String unit) {
    this.task = task;
    this.total = Math.max(1, total);
    this.bar =
        System.console() == null
            ? null
            : new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .showSpeed()
                .build();
    this.nextLog = this.total / 10;
  }

  /** Moves to {@code newDone} units done, with an optional message (e.g. the running loss). */
  public void update(long newDone, String message) {
    done = newDone;
    if (bar != null) {
      bar.stepTo(done);
      if (message != null) bar.setExtraMessage(message);
    } else if (done >= nextLog || done == total) {
      double seconds = (System.nanoTime() - start) / 1e9;
      double eta = done > 0 ? seconds * (total - done) / done : Double.NaN;
      LOG.info(String.format("%s: %,d/%,d (%.0f%%), %.0f s, ETA %.0f s%s", task, done, total, 100.0 * done / total, seconds, eta,
          message == null ? "" : ", " + message));
      nextLog = done + total / 10;
    }
  }

  public double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
