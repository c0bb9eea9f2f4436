package org.lmrec.eval;

import java.util.Arrays;

/**
 * Splits items into head and tail by how many distinct users have them in the TRAINING sequences
 * (never the held-out items, which would leak the answers into the grouping). An item is tail when
 * that count is below {@link #threshold()}, head otherwise.
 */
public final class PopularityGroups {
  /** Share of items aimed at as head by {@link #byDefault}: the usual 80/20 split. */
  public static final double DEFAULT_HEAD_FRACTION = 0.2;

  private final int[] userCounts; // index 0 unused
  private final int threshold;
  private final int numTailItems;

  private PopularityGroups(int[] userCounts, int threshold) {
    this.userCounts = userCounts;
    this.threshold = threshold;
    int tail = 0;
    for (int item = 1; item < userCounts.length; item++) if (userCounts[item] < threshold) tail++;
    this.numTailItems = tail;
  }

  /** Tail = items with fewer than {@code threshold} distinct training users. */
  public static PopularityGroups withThreshold(int[][] trainSequences, int numItems, int threshold) {
    if (threshold < 0) throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
    return new PopularityGroups(distinctUsers(trainSequences, numItems), threshold);
  }

  /**
   * Threshold = the user count of the item at position {@code numItems - h} of the counts sorted
   * ascending, where {@code h = max(1, round(headFraction * numItems))}: the {@code h} most popular
   * items are head, plus any item tied with the least popular of them (so ties can make the head a
   * little larger than asked). The threshold is at least 1 so that items never seen in training are
   * always tail.
   */
  public static PopularityGroups byHeadFraction(int[][] trainSequences, int numItems, double headFraction) {
    int[] counts = distinctUsers(trainSequences, numItems);
    long[] perItem = new long[numItems];
    for (int item = 1; item <= numItems; item++) perItem[item - 1] = counts[item];
    return new PopularityGroups(counts, (int) headThreshold(perItem, headFraction));
  }

  /**
   * The rule of {@link #byHeadFraction} on any per-item popularity counts (one per item, in any
   * order): with the counts sorted ascending and {@code h = max(1, round(headFraction * n))}, the
   * threshold is {@code max(1, sorted[n - h])}. Shared with the replay report, which counts
   * interactions in a log instead of distinct training users.
   */
  public static long headThreshold(long[] counts, double headFraction) {
    if (!(headFraction > 0 && headFraction <= 1)) {
      throw new IllegalArgumentException("headFraction must be in (0, 1], got " + headFraction);
    }
    if (counts.length == 0) throw new IllegalArgumentException("no items to split into head and tail");
    long[] sorted = counts.clone();
    Arrays.sort(sorted);
    int head = Math.max(1, (int) Math.round(headFraction * sorted.length));
    return Math.max(1, sorted[sorted.length - head]);
  }

  /** {@link #byHeadFraction} with {@link #DEFAULT_HEAD_FRACTION}: the 80th-percentile count. */
  public static PopularityGroups byDefault(int[][] trainSequences, int numItems) {
    return byHeadFraction(trainSequences, numItems, DEFAULT_HEAD_FRACTION);
  }

  public static PopularityGroups byDefault(LeaveOneOutSplit split) {
    return byDefault(split.trainSequences(), split.numItems());
  }

  public int threshold() {
    return threshold;
  }

  public int numItems() {
    return userCounts.length - 1;
  }

  /** Distinct training users of {@code item}. */
  public int userCount(int item) {
    checkItem(item);
    return userCounts[item];
  }

  public boolean isTail(int item) {
    checkItem(item);
    return userCounts[item] < threshold;
  }

  public int numTailItems() {
    return numTailItems;
  }

  public int numHeadItems() {
    return numItems() - numTailItems;
  }

  private void checkItem(int item) {
    if (item < 1 || item > numItems()) {
      throw new IllegalArgumentException("item " + item + " outside 1.." + numItems());
    }
  }

  private static int[] distinctUsers(int[][] trainSequences, int numItems) {
    if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
    int[] counts = new int[numItems + 1];
    int[] lastUser = new int[numItems + 1];
    Arrays.fill(lastUser, -1);
    for (int u = 0; u < trainSequences.length; u++) {
      for (int item : trainSequences[u]) {
        if (item < 1 || item > numItems) {
          throw new IllegalArgumentException(
              "training sequence of user " + u + " has item " + item + " outside 1.." + numItems);
        }
        if (lastUser[item] != u) {
          lastUser[item] = u;
          counts[item]++;
        }
      }
    }
    return counts;
  }
}
