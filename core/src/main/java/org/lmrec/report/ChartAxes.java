package org.lmrec.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Axis ranges and tick labels for {@link LineChart}, as plain functions. Left to itself XChart
 * prints every digit of a one-value axis ({@code 0.162701320761273}) and has no time range to
 * place ticks in when a chart has one point; these give both axes a padded range and labels with
 * only as many digits as the ticks need.
 */
public final class ChartAxes {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private ChartAxes() {}

  /** An axis range, {@code min < max}. */
  public record Range(double min, double max) {
    public Range {
      if (!(min < max)) throw new IllegalArgumentException("axis range needs min < max, got " + min + ".." + max);
    }

    public double span() {
      return max - min;
    }
  }

  /**
   * The value axis for data between {@code lo} and {@code hi}: 5% padding either side, and when
   * all values are equal (one point, a flat line) 10% of the value (0.01 for 0) so the point sits
   * mid-axis with readable ticks around it. No finite data gives 0..1.
   */
  public static Range valueRange(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi)) return new Range(0, 1);
    if (lo == hi) {
      double pad = lo == 0 ? 0.01 : Math.abs(lo) * 0.1;
      return new Range(lo - pad, hi + pad);
    }
    double pad = (hi - lo) * 0.05;
    return new Range(lo - pad, hi + pad);
  }

  /**
   * The time axis for times between {@code first} and {@code last} (epoch ms): 5% padding either
   * side, at least one minute, so a single point has a range to place time ticks in.
   */
  public static Range timeRange(long first, long last) {
    long pad = Math.max(MINUTE, (last - first) / 20);
    return new Range(first - pad, last + pad);
  }

  /**
   * Decimals for tick labels on a value axis spanning {@code span}: enough to tell apart ticks
   * about a tenth of the span apart, so labels carry two or three significant digits
   * ({@code 0.163}, not {@code 0.162701320761273}); at most 10.
   */
  public static int decimals(double span) {
    if (!(span > 0) || !Double.isFinite(span)) return 2;
    int d = (int) Math.ceil(-Math.log10(span / 10));
    return Math.max(0, Math.min(10, d));
  }

  /** A tick value with {@link #decimals} digits after the point, '.' whatever the locale; never "-0". */
  public static String valueLabel(double value, int decimals) {
    String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
    return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
  }

  /**
   * The pattern of the time tick labels for a time axis spanning {@code spanMillis}: the coarsest
   * that still tells ticks apart. Under a day the date moves into the axis title ({@link #timeTitle}).
   */
  public static String timePattern(long spanMillis) {
    if (spanMillis <= 10 * MINUTE) return "HH:mm:ss";
    if (spanMillis <= DAY) return "HH:mm";
    if (spanMillis <= 14 * DAY) return "MM-dd HH:mm";
    if (spanMillis <= 400 * DAY) return "yyyy-MM-dd";
    return "yyyy-MM";
  }

  /**
   * The time axis title: the time zone, and when the tick labels show no date, the date (or the
   * first and last dates) the axis covers.
   */
  public static String timeTitle(Range range) {
    String pattern = timePattern((long) range.span());
    if (pattern.contains("dd")) return "time (UTC)";
    String from = date((long) range.min());
    String to = date((long) range.max());
    return from.equals(to) ? "time (UTC) on " + from : "time (UTC), " + from + " to " + to;
  }

  private static String date(long millis) {
    return DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
  }
}
