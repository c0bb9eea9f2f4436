package org.lmrec.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of one evaluation run, immutable. Metric names are {@code HR@K}, {@code NDCG@K},
 * {@code MRR@K} over all cases, and the same prefixed with {@code tail/} or {@code head/} when
 * popularity groups were given. A group without cases has NaN metrics (its count says why).
 */
public final class EvaluationResult {
  public static final String ALL = "all";
  public static final String TAIL = "tail";
  public static final String HEAD = "head";

  private final String protocol;
  private final Map<String, Double> metrics;
  private final Map<String, Integer> caseCounts;

  public EvaluationResult(String protocol, Map<String, Double> metrics, Map<String, Integer> caseCounts) {
    this.protocol = protocol;
    this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    this.caseCounts = Collections.unmodifiableMap(new LinkedHashMap<>(caseCounts));
    if (!this.caseCounts.containsKey(ALL)) throw new IllegalArgumentException("caseCounts needs an '" + ALL + "' entry");
  }

  public String protocol() {
    return protocol;
  }

  /** All metrics in a stable order: overall first, then tail, then head. */
  public Map<String, Double> metrics() {
    return metrics;
  }

  public double metric(String name) {
    Double v = metrics.get(name);
    if (v == null) throw new IllegalArgumentException("no metric '" + name + "'; available: " + metrics.keySet());
    return v;
  }

  /** Case counts by group: {@code all}, and {@code tail}/{@code head} when grouped. */
  public Map<String, Integer> caseCounts() {
    return caseCounts;
  }

  public int numCases() {
    return caseCounts.get(ALL);
  }

  public int caseCount(String group) {
    Integer n = caseCounts.get(group);
    if (n == null) throw new IllegalArgumentException("no group '" + group + "'; available: " + caseCounts.keySet());
    return n;
  }

  public boolean hasPopularityGroups() {
    return caseCounts.containsKey(TAIL);
  }

  /** One line, e.g. {@code full n=6040 HR@10=0.8245 NDCG@10=0.5905 | tail n=1200 HR@10=...}. */
  public String format() {
    StringBuilder sb = new StringBuilder(protocol);
    for (Map.Entry<String, Integer> group : caseCounts.entrySet()) {
      String prefix = group.getKey().equals(ALL) ? "" : group.getKey() + "/";
      if (!prefix.isEmpty()) sb.append(" | ").append(group.getKey());
      sb.append(" n=").append(group.getValue());
      for (Map.Entry<String, Double> m : metrics.entrySet()) {
        String name = m.getKey();
        boolean inGroup = prefix.isEmpty() ? name.indexOf('/') < 0 : name.startsWith(prefix);
        if (inGroup) {
          sb.append(' ').append(name.substring(prefix.length())).append('=')
              .append(String.format(Locale.ROOT, "%.4f", m.getValue()));
        }
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
