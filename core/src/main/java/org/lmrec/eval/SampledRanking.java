package org.lmrec.eval;

import java.util.Arrays;

/**
 * Ranks the target against {@code numNegatives} sampled negatives (SASRec's protocol: 1 positive and
 * 100 negatives).
 *
 * <p>Negatives are drawn uniformly, without replacement, from the items that are neither in the
 * case's history nor the target. They depend only on (seed, user, history, target), so the same seed
 * gives every model the same candidates. Rank = number of negatives whose score is greater than or
 * equal to the target's (ties counted against the target, as in {@link FullRanking}).
 */
public final class SampledRanking implements RankingProtocol {
  public static final int DEFAULT_NEGATIVES = 100;

  private final int numItems;
  private final int numNegatives;
  private final long seed;

  public SampledRanking(int numItems, int numNegatives, long seed) {
    if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
    if (numNegatives < 1) throw new IllegalArgumentException("numNegatives must be >= 1, got " + numNegatives);
    this.numItems = numItems;
    this.numNegatives = numNegatives;
    this.seed = seed;
  }

  public SampledRanking(int numItems, long seed) {
    this(numItems, DEFAULT_NEGATIVES, seed);
  }

  @Override
  public String name() {
    return "sampled-" + numNegatives;
  }

  @Override
  public int numItems() {
    return numItems;
  }

  public int numNegatives() {
    return numNegatives;
  }

  public long seed() {
    return seed;
  }

  /** The negatives this protocol uses for a case (a fresh array; for inspection and tests). */
  public int[] negatives(EvalCase c) {
    SampledRanker ranker = new SampledRanker(this);
    ranker.sample(c);
    return ranker.negatives.clone();
  }

  @Override
  public Ranker newRanker() {
    return new SampledRanker(this);
  }

  private static final class SampledRanker implements Ranker {
    private final int numItems;
    private final int numNegatives;
    private final long seed;
    private final int[] negatives;
    // Items marked with the current stamp are excluded or already drawn; allocated once, never cleared.
    private final int[] takenStamp;
    private int stamp;
    private int[] freeItems; // only for users who leave few free items

    SampledRanker(SampledRanking protocol) {
      this.numItems = protocol.numItems;
      this.numNegatives = protocol.numNegatives;
      this.seed = protocol.seed;
      this.negatives = new int[numNegatives];
      this.takenStamp = new int[numItems + 1];
    }

    @Override
    public int rank(EvalCase c, float[] scores) {
      CaseChecks.checkRow(c, scores, numItems);
      sample(c);
      float targetScore = scores[c.target()];
      if (Float.isNaN(targetScore)) throw CaseChecks.nan(c, c.target());
      int rank = 0;
      for (int item : negatives) {
        float s = scores[item];
        if (s >= targetScore) rank++;
        else if (s != s) throw CaseChecks.nan(c, item);
      }
      return rank;
    }

    /** Fills {@link #negatives} for this case. */
    void sample(EvalCase c) {
      CaseChecks.checkItems(c, numItems);
      if (++stamp == Integer.MAX_VALUE) {
        Arrays.fill(takenStamp, 0);
        stamp = 1;
      }
      int excluded = 0;
      for (int item : c.history()) {
        if (takenStamp[item] != stamp) {
          takenStamp[item] = stamp;
          excluded++;
        }
      }
      if (takenStamp[c.target()] != stamp) {
        takenStamp[c.target()] = stamp;
        excluded++;
      }
      int free = numItems - excluded;
      if (free < numNegatives) {
        throw new IllegalArgumentException(
            "user " + c.user() + " leaves only " + free + " unseen items but " + numNegatives
                + " negatives are required; lower the number of negatives or use full ranking");
      }
      SeededRandom random = SeededRandom.forKey(seed, c.user());
      if (free >= 2 * numNegatives) {
        // Rejection sampling: at least half of the draws hit a free item, so this stays cheap.
        for (int i = 0; i < numNegatives; ) {
          int item = 1 + random.nextInt(numItems);
          if (takenStamp[item] == stamp) continue;
          takenStamp[item] = stamp;
          negatives[i++] = item;
        }
      } else {
        // Few free items: list them and take a partial Fisher-Yates shuffle instead of rejecting a lot.
        if (freeItems == null) freeItems = new int[numItems];
        int n = 0;
        for (int item = 1; item <= numItems; item++) if (takenStamp[item] != stamp) freeItems[n++] = item;
        for (int i = 0; i < numNegatives; i++) {
          int j = i + random.nextInt(n - i);
          int tmp = freeItems[i];
          freeItems[i] = freeItems[j];
          freeItems[j] = tmp;
          negatives[i] = freeItems[i];
        }
      }
    }
  }
}
