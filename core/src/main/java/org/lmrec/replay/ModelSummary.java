package org.lmrec.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's replay results.
 *
 * @param overall metrics over all its scored events
 * @param distinctItemsShown distinct items in its top-maxK lists over the whole replay
 * @param coverage {@code distinctItemsShown / catalogueSize}
 * @param byWindow per time window, chronological; only windows where the model scored events
 * @param byGroup by popularity group of the target: {@code tail}, then {@code head} (the order of
 *     {@link org.lmrec.eval.EvaluationResult}); a group without cases has NaN metrics
 */
public record ModelSummary(
    String model, ReplayMetrics overall, int distinctItemsShown, double coverage, List<WindowSummary> byWindow, Map<String, ReplayMetrics> byGroup) {

  public ModelSummary {
    byWindow = List.copyOf(byWindow);
    byGroup = Collections.unmodifiableMap(new LinkedHashMap<>(byGroup));
  }

  public double metric(String name) {
    return overall.metric(name);
  }

  public long cases() {
    return overall.cases();
  }

  public long emptyLists() {
    return overall.emptyLists();
  }

  public ReplayMetrics group(String name) {
    ReplayMetrics g = byGroup.get(name);
    if (g == null) throw new IllegalArgumentException("no popularity group '" + name + "'; available: " + byGroup.keySet());
    return g;
  }
}
