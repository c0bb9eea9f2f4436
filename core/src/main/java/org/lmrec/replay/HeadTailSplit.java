package org.lmrec.replay;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.lmrec.eval.PopularityGroups;

/**
 * Head and tail items of the replayed log, by the rule of {@link PopularityGroups#byHeadFraction}
 * applied to interaction counts: over {@code n = max(catalogueSize, items with a count)} items
 * (items without a count have 0), sort the counts ascending, take {@code h = max(1,
 * round(headFraction * n))} and {@code threshold = max(1, sorted[n - h])}. An item is tail when its
 * count is below the threshold, head otherwise: the h most popular items plus any tied with the least
 * popular of them, and never an item with no interactions. The only difference from the offline
 * grouping is what is counted (interactions in the replayed log instead of distinct training users),
 * since the replay has no training split.
 */
public final class HeadTailSplit {
  private final Map<String, Long> counts;
  private final int numItems;
  private final long threshold;
  private final int numHeadItems;

  private HeadTailSplit(Map<String, Long> counts, int numItems, long threshold) {
    this.counts = Collections.unmodifiableMap(new HashMap<>(counts));
    this.numItems = numItems;
    this.threshold = threshold;
    this.numHeadItems = (int) counts.values().stream().filter(c -> c >= threshold).count();
  }

  public static HeadTailSplit of(Map<String, Long> interactionCounts, int catalogueSize, double headFraction) {
    if (catalogueSize < 1) throw new IllegalArgumentException("catalogueSize must be >= 1, got " + catalogueSize);
    int n = Math.max(catalogueSize, interactionCounts.size());
    long[] counts = new long[n]; // items without a count stay 0
    int i = 0;
    for (Map.Entry<String, Long> e : interactionCounts.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("item '" + e.getKey() + "' has interaction count " + e.getValue() + "; counts must be >= 0");
      }
      counts[i++] = e.getValue();
    }
    return new HeadTailSplit(interactionCounts, n, PopularityGroups.headThreshold(counts, headFraction));
  }

  /** Items the split ranges over: the catalogue, or more when the log has items outside it. */
  public int numItems() {
    return numItems;
  }

  /** The smallest interaction count of a head item. */
  public long threshold() {
    return threshold;
  }

  public int numHeadItems() {
    return numHeadItems;
  }

  public long count(String item) {
    return counts.getOrDefault(item, 0L);
  }

  public boolean isTail(String item) {
    return count(item) < threshold;
  }
}
