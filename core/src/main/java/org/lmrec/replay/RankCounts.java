package org.lmrec.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lmrec.eval.RankingMetrics;

/**
 * Exact integer tally of where targets landed: how many cases had the target at each rank below the
 * largest cutoff, and how many missed it. Integer addition does not depend on order, so the metric
 * means computed from it are the same whatever order the outcomes arrived in (floating-point running
 * sums would not be). Not thread-safe.
 */
final class RankCounts {
  private final long[] atRank; // atRank[r]: cases with the target at rank r < maxK
  private long missed; // target not in the top maxK (including empty lists)
  private long emptyLists;

  RankCounts(int maxK) {
    this.atRank = new long[maxK];
  }

  void add(ReplayOutcome outcome) {
    int rank = outcome.rank();
    if (rank >= 0 && rank < atRank.length) atRank[rank]++;
    else missed++;
    if (outcome.isEmptyList()) emptyLists++;
  }

  void addAll(RankCounts other) {
    for (int r = 0; r < atRank.length; r++) atRank[r] += other.atRank[r];
    missed += other.missed;
    emptyLists += other.emptyLists;
  }

  long cases() {
    long n = missed;
    for (long c : atRank) n += c;
    return n;
  }

  /**
   * Means of HR@K, NDCG@K and MRR@K for every cutoff, each summed over the ranks in ascending order
   * with the per-case values of {@link RankingMetrics} (misses add 0, as a rank >= K does there).
   * NaN when there are no cases.
   */
  ReplayMetrics metrics(int[] cutoffs) {
    long n = cases();
    Map<String, Double> values = new LinkedHashMap<>();
    for (int k : cutoffs) {
      if (k > atRank.length) throw new IllegalArgumentException("cutoff " + k + " exceeds the tallied ranks 0.." + (atRank.length - 1));
      double hr = 0;
      double ndcg = 0;
      double mrr = 0;
      for (int r = 0; r < k; r++) {
        hr += atRank[r] * RankingMetrics.hitRate(r, k);
        ndcg += atRank[r] * RankingMetrics.ndcg(r, k);
        mrr += atRank[r] * RankingMetrics.reciprocalRank(r, k);
      }
      values.put("HR@" + k, n == 0 ? Double.NaN : hr / n);
      values.put("NDCG@" + k, n == 0 ? Double.NaN : ndcg / n);
      values.put("MRR@" + k, n == 0 ? Double.NaN : mrr / n);
    }
    return new ReplayMetrics(n, emptyLists, values);
  }
}
