package org.lmrec.eval;

/**
 * Per-case ranking metrics from the 0-based rank of the target (0 = ranked first). Averaging them
 * over the cases gives the usual HR@K, NDCG@K and MRR@K: with a single relevant item the ideal
 * DCG is 1, so NDCG is just the discounted gain of the target.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** 1 when the target is in the top {@code k}, else 0. */
  public static double hitRate(int rank, int k) {
    check(rank, k);
    return rank < k ? 1.0 : 0.0;
  }

  /** {@code 1 / log2(rank + 2)} when the target is in the top {@code k}, else 0. */
  public static double ndcg(int rank, int k) {
    check(rank, k);
    return rank < k ? 1.0 / log2(rank + 2) : 0.0;
  }

  /** {@code 1 / (rank + 1)} when the target is in the top {@code k}, else 0. */
  public static double reciprocalRank(int rank, int k) {
    check(rank, k);
    return rank < k ? 1.0 / (rank + 1) : 0.0;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  private static void check(int rank, int k) {
    if (rank < 0) throw new IllegalArgumentException("rank must be >= 0, got " + rank);
    if (k < 1) throw new IllegalArgumentException("cutoff K must be >= 1, got " + k);
  }
}
