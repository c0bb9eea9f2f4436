package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TopNRerankingTest {
  // items 1..6; the base model prefers 6 > 5 > 4 = 3 > 2 > 1
  private static final float[] BASE = {0, 0.1f, 0.2f, 0.5f, 0.5f, 0.8f, 0.9f};

  @Test
  void takesTheBaseTopNWithoutTheHistoryTiesToTheLowerIndex() {
    TopNReranking p = new TopNReranking(6, 3);
    // item 6 is history and excluded; 3 and 4 tie, 3 goes first
    assertThat(p.candidates(new EvalCase(0, new int[] {6}, 2), BASE)).containsExactly(5, 3, 4);
    // a repeated target stays a candidate even though it is in the history
    assertThat(p.candidates(new EvalCase(0, new int[] {6, 5}, 5), BASE)).containsExactly(5, 3, 4);
  }

  @Test
  void ranksTheTargetByTheNewScoresAndCountsAMissOutsideTheTopN() {
    TopNReranking p = new TopNReranking(6, 3);
    EvalCase inside = new EvalCase(0, new int[] {6}, 4);
    int[] c = p.candidates(inside, BASE); // 5, 3, 4
    assertThat(TopNReranking.rank(inside, c, new double[] {0.1, 0.2, 0.9})).isZero(); // re-ranker lifts 4 to the top
    assertThat(TopNReranking.rank(inside, c, new double[] {0.9, 0.9, 0.9})).isEqualTo(2); // ties against the target
    EvalCase outside = new EvalCase(0, new int[] {6}, 1);
    assertThat(TopNReranking.rank(outside, p.candidates(outside, BASE), new double[] {1, 1, 1})).isEqualTo(TopNReranking.MISS);

    RankTally tally = new RankTally(1, 10);
    tally.add(0);
    tally.add(TopNReranking.MISS);
    tally.add(2);
    assertThat(tally.metrics().get("HR@1")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(tally.metrics().get("HR@10")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(tally.metrics().get("NDCG@10")).isCloseTo((1 + 0.5) / 3.0, within(1e-12)); // 1/log2(4) = 0.5
    assertThat(tally.metrics().get("MRR@10")).isCloseTo((1 + 1 / 3.0) / 3.0, within(1e-12));
  }
}
