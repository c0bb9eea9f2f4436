package org.lmrec.eval;

/**
 * Ranks the target against the whole catalogue (items {@code 1..numItems}).
 *
 * <p>Items in the case's history are excluded from the candidates, as is standard for full-ranking
 * evaluation: a user's past items are not useful recommendations and models that are good at
 * repeating the history would otherwise be penalised or rewarded arbitrarily. The target itself is
 * never excluded, even when the user consumed it before (a repeat), since that is the event being
 * predicted.
 *
 * <p>Rank = number of candidate items (other than the target) whose score is greater than <em>or
 * equal to</em> the target's. Counting ties against the target means a scorer gets no credit for
 * indistinguishable scores: a constant scorer ranks the target last.
 */
public final class FullRanking implements RankingProtocol {
  private final int numItems;

  public FullRanking(int numItems) {
    if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
    this.numItems = numItems;
  }

  @Override
  public String name() {
    return "full";
  }

  @Override
  public int numItems() {
    return numItems;
  }

  @Override
  public Ranker newRanker() {
    return new FullRanker(numItems);
  }

  /** Marks excluded items with a per-case stamp so the mark array is allocated once, never cleared. */
  private static final class FullRanker implements Ranker {
    private final int numItems;
    private final int[] excludedStamp;
    private int stamp;

    FullRanker(int numItems) {
      this.numItems = numItems;
      this.excludedStamp = new int[numItems + 1];
    }

    @Override
    public int rank(EvalCase c, float[] scores) {
      CaseChecks.checkItems(c, numItems);
      CaseChecks.checkRow(c, scores, numItems);
      int target = c.target();
      float targetScore = scores[target];
      if (Float.isNaN(targetScore)) throw CaseChecks.nan(c, target);
      if (++stamp == Integer.MAX_VALUE) { // wrapped: start the marks afresh
        java.util.Arrays.fill(excludedStamp, 0);
        stamp = 1;
      }
      for (int item : c.history()) excludedStamp[item] = stamp;
      int rank = 0;
      for (int item = 1; item <= numItems; item++) {
        if (item == target || excludedStamp[item] == stamp) continue;
        float s = scores[item];
        if (s >= targetScore) rank++;
        else if (s != s) throw CaseChecks.nan(c, item); // NaN fails every comparison
      }
      return rank;
    }
  }
}
