package org.lmrec.retrainjob.schedule;

import java.time.Duration;

/**
 * When the long-running scheduler retrains: on a clock, when enough new interactions were
 * archived, or both; at least one must be on, otherwise the scheduler would never run anything.
 *
 * @param interval run every this long (first run one interval after start); null or zero = off
 * @param newInteractionThreshold run when at least this many archived interactions are new since
 *     the last successful run; 0 = off
 * @param pollInterval how often to count the new interactions; null = 1 minute
 * @param retryBackoff after a failed run, how long the threshold trigger waits before it starts
 *     another (without it a persistently failing run would restart every poll); the interval and
 *     manual triggers are not held back. Null = 10 minutes, zero = no wait
 * @param runAtStart also run once right after start
 */
public record ScheduleSettings(
    Duration interval, long newInteractionThreshold, Duration pollInterval, Duration retryBackoff, boolean runAtStart) {
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMinutes(10);

  public ScheduleSettings {
    interval = interval == null ? Duration.ZERO : interval;
    pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    retryBackoff = retryBackoff == null ? DEFAULT_RETRY_BACKOFF : retryBackoff;
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + interval);
    }
    if (newInteractionThreshold < 0) {
      throw new IllegalArgumentException("newInteractionThreshold must not be negative: " + newInteractionThreshold);
    }
    if (interval.isZero() && newInteractionThreshold == 0) {
      throw new IllegalArgumentException("no trigger on: set an interval, a new-interaction threshold, or both");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
    }
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative: " + retryBackoff);
    }
  }

  /** Interval and/or threshold with the default poll interval and retry backoff, no run at start. */
  public static ScheduleSettings of(Duration interval, long newInteractionThreshold) {
    return new ScheduleSettings(interval, newInteractionThreshold, null, null, false);
  }

  public boolean intervalEnabled() {
    return !interval.isZero();
  }

  public boolean thresholdEnabled() {
    return newInteractionThreshold > 0;
  }
}
