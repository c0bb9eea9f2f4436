package org.lmrec.eval;

/**
 * Anything that scores every item of the catalogue as the next item of a history: the DJL models
 * during training and the pure-Java serving scorer both implement it, so evaluation is shared.
 */
@FunctionalInterface
public interface NextItemScorer {
  /**
   * Scores all items for each history.
   *
   * @param histories chronological item indices (1-based, no padding), one array per query
   * @return scores {@code [histories.length][numItems + 1]}; column 0 (padding) is ignored
   */
  float[][] scoreAll(int[][] histories);
}
