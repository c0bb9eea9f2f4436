package org.lmrec.eval;

import java.util.Arrays;

/**
 * Full-catalogue evaluation of a re-ranker (LLM-TRSR's practical protocol): a base model ranks the
 * whole catalogue, its top {@code n} (the user's history excluded, the target never, as in {@link
 * FullRanking}) are re-scored by the re-ranker, and the target's rank is its place among those
 * {@code n} by the new scores. A target the base model left outside its top {@code n} is a miss
 * ({@link #MISS}) at every cutoff, so HR/NDCG@K are over the whole catalogue, not over a sample.
 *
 * <p>Ties: the base model's top {@code n} breaks ties by the lower item index; the re-ranked rank
 * counts ties against the target, as the other protocols do.
 */
public final class TopNReranking {
  /** The rank of a target that is not among the candidates; every metric at any cutoff is 0 for it. */
  public static final int MISS = Integer.MAX_VALUE;

  private final int numItems;
  private final int n;

  public TopNReranking(int numItems, int n) {
    if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
    if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
    this.numItems = numItems;
    this.n = n;
  }

  public int n() {
    return n;
  }

  /** The base model's top {@code n} for a case (fewer when the catalogue minus the history is smaller), best first. */
  public int[] candidates(EvalCase c, float[] baseScores) {
    CaseChecks.checkItems(c, numItems);
    CaseChecks.checkRow(c, baseScores, numItems);
    boolean[] excluded = new boolean[numItems + 1];
    for (int item : c.history()) excluded[item] = true;
    excluded[c.target()] = false;
    // a bounded min-heap of the best n would be faster; n is small and this runs once per case
    Integer[] items = new Integer[numItems];
    int m = 0;
    for (int item = 1; item <= numItems; item++) {
      if (excluded[item]) continue;
      if (Float.isNaN(baseScores[item])) throw CaseChecks.nan(c, item);
      items[m++] = item;
    }
    Integer[] pool = Arrays.copyOf(items, m);
    Arrays.sort(pool, (a, b) -> {
      int byScore = Float.compare(baseScores[b], baseScores[a]);
      return byScore != 0 ? byScore : Integer.compare(a, b);
    });
    int k = Math.min(n, pool.length);
    int[] top = new int[k];
    for (int i = 0; i < k; i++) top[i] = pool[i];
    return top;
  }

  /**
   * The target's 0-based rank among {@code candidates} by {@code scores} (one per candidate, same
   * order), ties counted against it; {@link #MISS} when the target is not a candidate.
   */
  public static int rank(EvalCase c, int[] candidates, double[] scores) {
    if (scores.length != candidates.length) {
      throw new IllegalArgumentException(candidates.length + " candidates but " + scores.length + " scores (user " + c.user() + ")");
    }
    int at = -1;
    for (int i = 0; i < candidates.length; i++) if (candidates[i] == c.target()) at = i;
    if (at < 0) return MISS;
    double target = scores[at];
    if (Double.isNaN(target)) throw CaseChecks.nan(c, c.target());
    int rank = 0;
    for (int i = 0; i < candidates.length; i++) {
      if (i == at) continue;
      if (Double.isNaN(scores[i])) throw CaseChecks.nan(c, candidates[i]);
      if (scores[i] >= target) rank++;
    }
    return rank;
  }
}
