package org.lmrec.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lmrec.eval.EvaluationResult;

/**
 * Everything the report needs about one model, kept as exact counts and sets so that the outcomes
 * may arrive in any order. Counts are kept per window and per target item; the head/tail grouping is
 * applied only at {@link #summarise}, so the item popularity may be given after the outcomes.
 * Distinct-item sets are hash sets: only their sizes are reported, and a size does not depend on
 * insertion order.
 */
final class ModelTally {
  private final String model;
  private final int maxK;
  private final Map<Long, RankCounts> countsByWindow = new HashMap<>();
  private final Map<Long, Set<String>> shownByWindow = new HashMap<>();
  private final Map<String, RankCounts> countsByTarget = new HashMap<>();
  private final Set<String> shown = new HashSet<>();

  ModelTally(String model, int maxK) {
    this.model = model;
    this.maxK = maxK;
  }

  void add(ReplayOutcome outcome, long windowStart) {
    countsByWindow.computeIfAbsent(windowStart, w -> new RankCounts(maxK)).add(outcome);
    countsByTarget.computeIfAbsent(outcome.nextItemId(), t -> new RankCounts(maxK)).add(outcome);
    // Coverage counts only what the metrics look at: the top maxK of each list.
    List<String> top = outcome.shown().subList(0, Math.min(maxK, outcome.listSize()));
    shownByWindow.computeIfAbsent(windowStart, w -> new HashSet<>()).addAll(top);
    shown.addAll(top);
  }

  /**
   * Merges the windows into windows of width {@code windowMillis}, a multiple of the current
   * width (so each current window lies inside one new window): counts add, shown sets unite.
   */
  void coarsen(long windowMillis) {
    Map<Long, RankCounts> counts = new HashMap<>();
    for (Map.Entry<Long, RankCounts> w : countsByWindow.entrySet()) {
      counts.computeIfAbsent(ReplaySettings.windowStart(w.getKey(), windowMillis), k -> new RankCounts(maxK)).addAll(w.getValue());
    }
    Map<Long, Set<String>> shownSets = new HashMap<>();
    for (Map.Entry<Long, Set<String>> w : shownByWindow.entrySet()) {
      shownSets.computeIfAbsent(ReplaySettings.windowStart(w.getKey(), windowMillis), k -> new HashSet<>()).addAll(w.getValue());
    }
    countsByWindow.clear();
    countsByWindow.putAll(counts);
    shownByWindow.clear();
    shownByWindow.putAll(shownSets);
  }

  ModelSummary summarise(ReplaySettings settings, HeadTailSplit split) {
    int[] cutoffs = settings.cutoffs();
    RankCounts overall = new RankCounts(maxK);
    List<WindowSummary> windows = new ArrayList<>();
    for (Map.Entry<Long, RankCounts> w : new TreeMap<>(countsByWindow).entrySet()) {
      overall.addAll(w.getValue());
      int distinct = shownByWindow.get(w.getKey()).size();
      windows.add(new WindowSummary(w.getKey(), w.getValue().metrics(cutoffs), distinct, coverage(distinct, settings)));
    }
    RankCounts tail = new RankCounts(maxK);
    RankCounts head = new RankCounts(maxK);
    for (Map.Entry<String, RankCounts> t : countsByTarget.entrySet()) {
      (split.isTail(t.getKey()) ? tail : head).addAll(t.getValue());
    }
    Map<String, ReplayMetrics> groups = new LinkedHashMap<>();
    groups.put(EvaluationResult.TAIL, tail.metrics(cutoffs));
    groups.put(EvaluationResult.HEAD, head.metrics(cutoffs));
    return new ModelSummary(model, overall.metrics(cutoffs), shown.size(), coverage(shown.size(), settings), windows, groups);
  }

  private double coverage(int distinct, ReplaySettings settings) {
    if (distinct > settings.catalogueSize()) {
      throw new IllegalStateException("model '" + model + "' showed " + distinct + " distinct items but the catalogue size is "
          + settings.catalogueSize() + "; pass the size of the catalogue the models recommend from");
    }
    return distinct / (double) settings.catalogueSize();
  }
}
