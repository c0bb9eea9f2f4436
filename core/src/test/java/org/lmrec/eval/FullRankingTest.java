package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FullRankingTest {
  // A 6-item catalogue. Column 0 is padding and must be ignored even with a huge score.
  //                                     pad   1     2     3     4     5     6
  private static final float[] SCORES = {99f, 0.9f, 0.1f, 0.5f, 0.7f, 0.3f, 0.2f};

  private static int rank(int[] history, int target, float[] scores) {
    return new FullRanking(6).newRanker().rank(new EvalCase(0, history, target), scores);
  }

  @Test
  void rankCountsHigherScoredItemsAndIgnoresPadding() {
    // target 3 (0.5): higher are item 1 (0.9) and item 4 (0.7) -> rank 2
    assertThat(rank(new int[0], 3, SCORES)).isEqualTo(2);
    // target 1 (0.9) is the best real item -> rank 0 despite padding's 99
    assertThat(rank(new int[0], 1, SCORES)).isEqualTo(0);
    // target 2 (0.1) is the worst of 6 -> rank 5
    assertThat(rank(new int[0], 2, SCORES)).isEqualTo(5);
  }

  @Test
  void seenItemsAreExcluded() {
    // history {1}: item 1 is no candidate, only item 4 (0.7) beats 0.5 -> rank 1
    assertThat(rank(new int[] {1}, 3, SCORES)).isEqualTo(1);
    // history {1, 4}: nothing beats target 3 -> rank 0
    assertThat(rank(new int[] {1, 4}, 3, SCORES)).isEqualTo(0);
    // excluding lower-scored items does not move the rank: history {2, 5, 6} -> still 2
    assertThat(rank(new int[] {2, 5, 6}, 3, SCORES)).isEqualTo(2);
  }

  @Test
  void targetIsNeverExcludedEvenWhenSeenBefore() {
    // a repeat: target 3 is also in the history; 4 is excluded, 3 stays a candidate,
    // only item 1 (0.9) beats it -> rank 1
    assertThat(rank(new int[] {3, 4, 3}, 3, SCORES)).isEqualTo(1);
  }

  @Test
  void tiesAreCountedAgainstTheTarget() {
    //                      pad  1     2     3     4     5     6
    float[] tied = {0f, 0.9f, 0.5f, 0.5f, 0.7f, 0.5f, 0.2f};
    // target 3 (0.5): higher 1, 4; equal 2, 5 count as above -> rank 4
    assertThat(rank(new int[0], 3, tied)).isEqualTo(4);
    // an excluded tied item does not count: history {2} -> rank 3
    assertThat(rank(new int[] {2}, 3, tied)).isEqualTo(3);
  }

  @Test
  void constantScorerRanksTheTargetLastAmongCandidates() {
    float[] constant = {0f, 1f, 1f, 1f, 1f, 1f, 1f};
    // history {1, 2}, target 3: candidates {3, 4, 5, 6}, the 3 others tie -> rank 3 = last
    assertThat(rank(new int[] {1, 2}, 3, constant)).isEqualTo(3);
    assertThat(rank(new int[0], 6, constant)).isEqualTo(5);
  }

  @Test
  void nanScoresRaiseAClearError() {
    float[] nanTarget = SCORES.clone();
    nanTarget[3] = Float.NaN;
    assertThatThrownBy(() -> rank(new int[0], 3, nanTarget))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NaN for item 3");
    float[] nanOther = SCORES.clone();
    nanOther[5] = Float.NaN;
    assertThatThrownBy(() -> rank(new int[0], 3, nanOther))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NaN for item 5");
  }

  @Test
  void badRowsAndItemsAreRejected() {
    assertThatThrownBy(() -> rank(new int[0], 3, new float[6]))
        .hasMessageContaining("6 scores")
        .hasMessageContaining("numItems + 1 = 7");
    assertThatThrownBy(() -> rank(new int[0], 7, SCORES)).hasMessageContaining("target 7 outside 1..6");
    assertThatThrownBy(() -> rank(new int[] {0}, 3, SCORES)).hasMessageContaining("history item 0 outside 1..6");
  }

  @Test
  void rankerReusesBuffersWithoutLeakingExclusionsBetweenCases() {
    RankingProtocol.Ranker ranker = new FullRanking(6).newRanker();
    assertThat(ranker.rank(new EvalCase(0, new int[] {1, 4}, 3), SCORES)).isEqualTo(0);
    // next case has no history: items 1 and 4 must be candidates again
    assertThat(ranker.rank(new EvalCase(1, new int[0], 3), SCORES)).isEqualTo(2);
  }
}
