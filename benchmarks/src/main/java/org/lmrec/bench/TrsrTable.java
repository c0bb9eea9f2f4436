package org.lmrec.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.Evaluator;
import org.lmrec.eval.FullRanking;
import org.lmrec.eval.RankingMetrics;
import org.lmrec.eval.SampledRanking;
import org.lmrec.eval.NextItemScorer;

/** The LLM-TRSR table's metrics and rows: Recall/MRR@3/5/10 on 1 + N negatives, HR/NDCG@10 over the catalogue. */
final class TrsrTable {
  static final String HEADER =
      "| dataset | seed | method | users | R@3 | R@5 | R@10 | MRR@3 | MRR@5 | MRR@10 | top-50 / full HR@10 | top-50 / full NDCG@10 | wall time |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";

  private TrsrTable() {}

  /**
   * A catalogue scorer's 0-based ranks on {@code cases}: {@code [0]} among the 1 + N sampled
   * candidates, {@code [1]} over the whole catalogue.
   */
  static int[][] ranks(List<EvalCase> cases, SampledRanking sampled, NextItemScorer model) {
    return new int[][] {
      Evaluator.builder(sampled).build().ranks(model, cases),
      Evaluator.builder(new FullRanking(sampled.numItems())).build().ranks(model, cases)
    };
  }

  /** Sampled and full metrics from {@link #ranks}. */
  static Map<String, Double> metrics(int[][] ranks) {
    Map<String, Double> m = sampled(ranks[0]);
    m.putAll(full(ranks[1]));
    return m;
  }

  /** One line per case, {@code user TAB sampled rank TAB full rank}: lets any later subsample of users re-score a row exactly. */
  static void writeRanks(java.nio.file.Path file, List<EvalCase> cases, int[][] ranks) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) sb.append(cases.get(i).user()).append('\t').append(ranks[0][i]).append('\t').append(ranks[1][i]).append('\n');
    TrsrBenchmark.writeString(file, sb.toString());
  }

  /** Recall@K (= HR@K with one positive) and MRR@K for K 3, 5, 10 from 0-based ranks. */
  static Map<String, Double> sampled(int[] ranks) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int k : TrsrBenchmark.CUTOFFS) {
      double r = 0, mrr = 0;
      for (int rank : ranks) {
        r += RankingMetrics.hitRate(rank, k);
        mrr += RankingMetrics.reciprocalRank(rank, k);
      }
      m.put("R@" + k, r / ranks.length);
      m.put("MRR@" + k, mrr / ranks.length);
    }
    return m;
  }

  /** HR@10 and NDCG@10 over the catalogue; a rank of {@link Integer#MAX_VALUE} is a miss (outside a re-ranked top-N). */
  static Map<String, Double> full(int[] ranks) {
    double hr = 0, ndcg = 0;
    for (int rank : ranks) {
      hr += RankingMetrics.hitRate(rank, 10);
      ndcg += RankingMetrics.ndcg(rank, 10);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("full/HR@10", hr / ranks.length);
    m.put("full/NDCG@10", ndcg / ranks.length);
    return m;
  }

  /** 0-based rank of the target's score among the others, ties counted against the target (as {@link SampledRanking}). */
  static int rank(float target, float[] others) {
    int rank = 0;
    for (float s : others) if (s >= target) rank++;
    return rank;
  }

  static String row(String dataset, long seed, String method, int users, Map<String, Double> m, String wall) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s | %,d", dataset, seed, method, users));
    for (String k : List.of("R@3", "R@5", "R@10", "MRR@3", "MRR@5", "MRR@10", "full/HR@10", "full/NDCG@10")) {
      Double v = m.get(k);
      sb.append(" | ").append(v == null ? "" : String.format(Locale.ROOT, "%.4f", v));
    }
    return sb.append(" | ").append(wall).append(" |").toString();
  }
}
