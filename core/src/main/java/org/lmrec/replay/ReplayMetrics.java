package org.lmrec.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one set of replayed cases (a model overall, in one window, or in one popularity group).
 *
 * @param cases scored events, empty lists included
 * @param emptyLists events for which the model served nothing (each also counts as a miss)
 * @param values HR@K, NDCG@K, MRR@K per cutoff in report order; NaN when there are no cases
 */
public record ReplayMetrics(long cases, long emptyLists, Map<String, Double> values) {
  public ReplayMetrics {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public double metric(String name) {
    Double v = values.get(name);
    if (v == null) throw new IllegalArgumentException("no metric '" + name + "'; available: " + values.keySet());
    return v;
  }
}
