package org.lmrec.replay;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.lmrec.eval.PopularityGroups;

/**
 * How a replay is summarised.
 *
 * @param cutoffs the K of HR@K, NDCG@K and MRR@K, strictly ascending, each >= 1; every served
 *     (non-empty) list must be at least as long as the largest, see {@link ReplayReport.Builder#build}
 * @param window width of the time buckets; an event belongs to the window starting at
 *     {@code floor(eventTime / window) * window} (epoch milliseconds, so UTC). Null: chosen from
 *     the span of the replayed events ({@link WindowChoice}), see {@link ReplayReport#window}
 * @param headFraction share of the catalogue aimed at as head items, same rule as
 *     {@link PopularityGroups#byHeadFraction}; see {@link HeadTailSplit}
 * @param catalogueSize number of items that could be recommended; the denominator of coverage
 * @param title heading of the report and its charts
 */
public record ReplaySettings(int[] cutoffs, Duration window, double headFraction, int catalogueSize, String title) {

  public ReplaySettings {
    Objects.requireNonNull(cutoffs, "cutoffs is null");
    Objects.requireNonNull(title, "title is null");
    if (cutoffs.length == 0) throw new IllegalArgumentException("at least one cutoff K is required");
    for (int i = 0; i < cutoffs.length; i++) {
      if (cutoffs[i] < 1) throw new IllegalArgumentException("cutoff K must be >= 1, got " + cutoffs[i]);
      if (i > 0 && cutoffs[i] <= cutoffs[i - 1]) {
        throw new IllegalArgumentException("cutoffs must be strictly ascending, got " + Arrays.toString(cutoffs));
      }
    }
    cutoffs = cutoffs.clone();
    if (window != null && (window.isNegative() || window.isZero() || !window.equals(Duration.ofMillis(window.toMillis())))) {
      throw new IllegalArgumentException("window must be a positive whole number of milliseconds, got " + window);
    }
    if (!(headFraction > 0 && headFraction <= 1)) {
      throw new IllegalArgumentException("headFraction must be in (0, 1], got " + headFraction);
    }
    if (catalogueSize < 1) throw new IllegalArgumentException("catalogueSize must be >= 1, got " + catalogueSize);
  }

  /** Settings with {@link PopularityGroups#DEFAULT_HEAD_FRACTION}. */
  public static ReplaySettings of(int[] cutoffs, Duration window, int catalogueSize, String title) {
    return new ReplaySettings(cutoffs, window, PopularityGroups.DEFAULT_HEAD_FRACTION, catalogueSize, title);
  }

  @Override
  public int[] cutoffs() {
    return cutoffs.clone();
  }

  public int maxCutoff() {
    return cutoffs[cutoffs.length - 1];
  }

  /**
   * The cutoff the headline ranking and the charts use: the middle one, the lower middle for an
   * even count ({5, 10, 20} -> 10, {10, 20} -> 10), since the extremes are the least typical.
   */
  public int headlineCutoff() {
    return cutoffs[(cutoffs.length - 1) / 2];
  }

  /** Whether the window is chosen from the replayed span ({@link WindowChoice}) rather than given. */
  public boolean chosenWindow() {
    return window == null;
  }

  /** Start of the window of width {@code windowMillis} that {@code eventTimeMillis} falls in (floor, also for times before 1970). */
  public static long windowStart(long eventTimeMillis, long windowMillis) {
    return Math.floorDiv(eventTimeMillis, windowMillis) * windowMillis;
  }

  /** Metric names in report order: for each cutoff, HR@K, NDCG@K, MRR@K. */
  public String[] metricNames() {
    String[] names = new String[cutoffs.length * 3];
    int j = 0;
    for (int k : cutoffs) {
      names[j++] = "HR@" + k;
      names[j++] = "NDCG@" + k;
      names[j++] = "MRR@" + k;
    }
    return names;
  }

  // Arrays compare by identity in records; settings are compared by value.
  @Override
  public boolean equals(Object o) {
    return o instanceof ReplaySettings s && Arrays.equals(cutoffs, s.cutoffs) && Objects.equals(window, s.window)
        && Double.compare(headFraction, s.headFraction) == 0 && catalogueSize == s.catalogueSize && title.equals(s.title);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(cutoffs), window, headFraction, catalogueSize, title);
  }

  @Override
  public String toString() {
    return "ReplaySettings[cutoffs=" + Arrays.toString(cutoffs) + ", window=" + window + ", headFraction=" + headFraction
        + ", catalogueSize=" + catalogueSize + ", title=" + title + "]";
  }
}
