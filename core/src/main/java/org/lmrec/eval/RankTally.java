package org.lmrec.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running means of HR@K, NDCG@K and MRR@K over 0-based ranks ({@link TopNReranking#MISS} counts as
 * a miss at every K), for protocols that rank their own candidates. With one relevant item per
 * case, HR@K is also Recall@K.
 */
public final class RankTally {
  private final int[] cutoffs;
  private final double[] hr;
  private final double[] ndcg;
  private final double[] mrr;
  private int cases;

  public RankTally(int... cutoffs) {
    if (cutoffs.length == 0) throw new IllegalArgumentException("at least one cutoff");
    this.cutoffs = cutoffs.clone();
    this.hr = new double[cutoffs.length];
    this.ndcg = new double[cutoffs.length];
    this.mrr = new double[cutoffs.length];
  }

  public void add(int rank) {
    cases++;
    for (int i = 0; i < cutoffs.length; i++) {
      hr[i] += RankingMetrics.hitRate(rank, cutoffs[i]);
      ndcg[i] += RankingMetrics.ndcg(rank, cutoffs[i]);
      mrr[i] += RankingMetrics.reciprocalRank(rank, cutoffs[i]);
    }
  }

  public int cases() {
    return cases;
  }

  /** {@code HR@K}, {@code NDCG@K}, {@code MRR@K} per cutoff in order; NaN before the first case. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < cutoffs.length; i++) m.put("HR@" + cutoffs[i], hr[i] / cases);
    for (int i = 0; i < cutoffs.length; i++) m.put("NDCG@" + cutoffs[i], ndcg[i] / cases);
    for (int i = 0; i < cutoffs.length; i++) m.put("MRR@" + cutoffs[i], mrr[i] / cases);
    return m;
  }
}
