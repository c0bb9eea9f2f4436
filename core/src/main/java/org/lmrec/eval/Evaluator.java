package org.lmrec.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link RankingProtocol} over evaluation cases with a {@link NextItemScorer}, scoring the
 * histories in batches, and averages HR@K, NDCG@K (and optionally MRR@K) overall and, when
 * {@link PopularityGroups} are given, over the cases whose target is tail or head.
 */
public final class Evaluator {
  public static final int DEFAULT_BATCH_SIZE = 256;
  private static final int[] DEFAULT_CUTOFFS = {10, 20};

  private final RankingProtocol protocol;
  private final int[] cutoffs;
  private final boolean mrr;
  private final int batchSize;
  private final PopularityGroups popularity; // may be null
  private final EvaluationProgress progress; // may be null

  private Evaluator(Builder b) {
    this.protocol = b.protocol;
    this.cutoffs = b.cutoffs.clone();
    this.mrr = b.mrr;
    this.batchSize = b.batchSize;
    this.popularity = b.popularity;
    this.progress = b.progress;
  }

  public static Builder builder(RankingProtocol protocol) {
    return new Builder(protocol);
  }

  /** The 0-based rank of every case's target, in the order of {@code cases}. */
  public int[] ranks(NextItemScorer scorer, List<EvalCase> cases) {
    int total = cases.size();
    int[] ranks = new int[total];
    RankingProtocol.Ranker ranker = protocol.newRanker();
    int[][] fullBatch = new int[Math.min(batchSize, total)][];
    for (int start = 0; start < total; start += batchSize) {
      int n = Math.min(batchSize, total - start);
      // The scorer must see exactly n histories, so only a short last batch needs its own array.
      int[][] histories = n == fullBatch.length ? fullBatch : new int[n][];
      for (int i = 0; i < n; i++) histories[i] = cases.get(start + i).history();
      float[][] scores = scorer.scoreAll(histories);
      if (scores == null || scores.length != n) {
        throw new IllegalStateException(
            "scorer returned " + (scores == null ? "null" : scores.length + " rows") + " for a batch of " + n + " histories");
      }
      for (int i = 0; i < n; i++) ranks[start + i] = ranker.rank(cases.get(start + i), scores[i]);
      if (progress != null) progress.onProgress(start + n, total);
    }
    return ranks;
  }

  public EvaluationResult evaluate(NextItemScorer scorer, List<EvalCase> cases) {
    if (cases.isEmpty()) throw new IllegalArgumentException("no cases to evaluate");
    int[] ranks = ranks(scorer, cases);
    int perCase = cutoffs.length * (mrr ? 3 : 2);
    double[] all = new double[perCase];
    double[] tail = new double[perCase];
    double[] head = new double[perCase];
    int tailCount = 0;
    for (int i = 0; i < ranks.length; i++) {
      addCase(all, ranks[i]);
      if (popularity != null) {
        if (popularity.isTail(cases.get(i).target())) {
          addCase(tail, ranks[i]);
          tailCount++;
        } else {
          addCase(head, ranks[i]);
        }
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    putGroup(metrics, counts, EvaluationResult.ALL, all, ranks.length);
    if (popularity != null) {
      putGroup(metrics, counts, EvaluationResult.TAIL, tail, tailCount);
      putGroup(metrics, counts, EvaluationResult.HEAD, head, ranks.length - tailCount);
    }
    return new EvaluationResult(protocol.name(), metrics, counts);
  }

  private void addCase(double[] sums, int rank) {
    int j = 0;
    for (int k : cutoffs) {
      sums[j++] += RankingMetrics.hitRate(rank, k);
      sums[j++] += RankingMetrics.ndcg(rank, k);
      if (mrr) sums[j++] += RankingMetrics.reciprocalRank(rank, k);
    }
  }

  private void putGroup(Map<String, Double> metrics, Map<String, Integer> counts, String group, double[] sums, int n) {
    String prefix = group.equals(EvaluationResult.ALL) ? "" : group + "/";
    counts.put(group, n);
    int j = 0;
    for (int k : cutoffs) {
      metrics.put(prefix + "HR@" + k, n == 0 ? Double.NaN : sums[j++] / n);
      metrics.put(prefix + "NDCG@" + k, n == 0 ? Double.NaN : sums[j++] / n);
      if (mrr) metrics.put(prefix + "MRR@" + k, n == 0 ? Double.NaN : sums[j++] / n);
    }
  }

  public static final class Builder {
    private final RankingProtocol protocol;
    private int[] cutoffs = DEFAULT_CUTOFFS;
    private boolean mrr;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private PopularityGroups popularity;
    private EvaluationProgress progress;

    private Builder(RankingProtocol protocol) {
      if (protocol == null) throw new IllegalArgumentException("protocol is null");
      this.protocol = protocol;
    }

    /** The K values of HR@K, NDCG@K and MRR@K (default 10 and 20), reported in the given order. */
    public Builder cutoffs(int... ks) {
      if (ks.length == 0) throw new IllegalArgumentException("at least one cutoff K is required");
      for (int k : ks) if (k < 1) throw new IllegalArgumentException("cutoff K must be >= 1, got " + k);
      if (Arrays.stream(ks).distinct().count() != ks.length) {
        throw new IllegalArgumentException("cutoffs repeat a value: " + Arrays.toString(ks));
      }
      this.cutoffs = ks.clone();
      return this;
    }

    /** Whether to report MRR@K as well (default off). */
    public Builder mrr(boolean include) {
      this.mrr = include;
      return this;
    }

    /** Histories per {@link NextItemScorer#scoreAll} call (default 256). */
    public Builder batchSize(int size) {
      if (size < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + size);
      this.batchSize = size;
      return this;
    }

    /** Also report metrics of cases whose target is tail vs head. */
    public Builder popularity(PopularityGroups groups) {
      if (groups != null && groups.numItems() != protocol.numItems()) {
        throw new IllegalArgumentException(
            "popularity groups cover " + groups.numItems() + " items but the protocol ranks " + protocol.numItems());
      }
      this.popularity = groups;
      return this;
    }

    public Builder progress(EvaluationProgress listener) {
      this.progress = listener;
      return this;
    }

    public Evaluator build() {
      return new Evaluator(this);
    }
  }
}
