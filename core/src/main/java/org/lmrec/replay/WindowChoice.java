package org.lmrec.replay;

/**
 * The report window chosen from the span of the replayed events: the shortest of a ladder of round
 * widths (1 s, 5 s, 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 2 h, 6 h, 12 h, 1 day, then
 * doubling days) that puts the span in at most {@value #MAX_WINDOWS} windows. Consecutive widths
 * differ by at most 5×, so a span longer than 100 s gets 20 to 100 points: a 10-minute demo
 * archive gets 10-second windows (60 points), a day 30-minute windows, a month 12-hour windows.
 * Each width divides the next, so a window of one width lies inside one window of every longer
 * width: {@link ReplayReport.Builder} can start fine and merge windows as the span grows.
 */
public final class WindowChoice {
  public static final int MAX_WINDOWS = 100;
  private static final long S = 1_000L;
  private static final long MIN = 60 * S;
  private static final long H = 60 * MIN;
  private static final long DAY = 24 * H;
  private static final long[] LADDER = {S, 5 * S, 10 * S, 30 * S, MIN, 5 * MIN, 10 * MIN, 30 * MIN, H, 2 * H, 6 * H, 12 * H, DAY};

  private WindowChoice() {}

  /** The finest width of the ladder. */
  public static long finestMillis() {
    return LADDER[0];
  }

  /** The window width for events from {@code firstMillis} to {@code lastMillis} (epoch ms, inclusive). */
  public static long forSpan(long firstMillis, long lastMillis) {
    if (lastMillis < firstMillis) throw new IllegalArgumentException("last " + lastMillis + " before first " + firstMillis);
    for (long w : LADDER) if (windows(firstMillis, lastMillis, w) <= MAX_WINDOWS) return w;
    long w = DAY;
    while (windows(firstMillis, lastMillis, w) > MAX_WINDOWS) w *= 2;
    return w;
  }

  /** Windows of width {@code w}, aligned to the epoch, that the interval touches. */
  static long windows(long firstMillis, long lastMillis, long w) {
    return Math.floorDiv(lastMillis, w) - Math.floorDiv(firstMillis, w) + 1;
  }
}
