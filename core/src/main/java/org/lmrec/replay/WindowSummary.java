package org.lmrec.replay;

/**
 * One model's results in one time window.
 *
 * @param startMillis window start, epoch milliseconds (UTC)
 * @param distinctItemsShown distinct items in the model's top-maxK lists within the window
 * @param coverage {@code distinctItemsShown / catalogueSize}
 */
public record WindowSummary(long startMillis, ReplayMetrics metrics, int distinctItemsShown, double coverage) {
  public double metric(String name) {
    return metrics.metric(name);
  }

  public long cases() {
    return metrics.cases();
  }

  public long emptyLists() {
    return metrics.emptyLists();
  }
}
