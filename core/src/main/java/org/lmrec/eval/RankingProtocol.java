package org.lmrec.eval;

/**
 * How the target's rank is read from a full score vector: against the whole catalogue
 * ({@link FullRanking}) or against sampled negatives ({@link SampledRanking}).
 */
public interface RankingProtocol {
  /** Short name used in results, e.g. {@code full} or {@code sampled-100}. */
  String name();

  /** Catalogue size the protocol expects (score vectors have {@code numItems + 1} entries). */
  int numItems();

  /** A ranker with its own scratch buffers; not thread-safe, so every evaluation run makes its own. */
  Ranker newRanker();

  /** Ranks one case at a time, reusing its buffers between cases. */
  interface Ranker {
    /**
     * The 0-based rank of {@code c.target()} among the protocol's candidates, ties counted against
     * the target.
     *
     * @param scores the scorer's row for this case, {@code numItems + 1} entries, column 0 ignored
     * @throws IllegalStateException when a candidate's score is NaN or the row has the wrong length
     */
    int rank(EvalCase c, float[] scores);
  }
}
