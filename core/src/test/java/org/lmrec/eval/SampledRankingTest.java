package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampledRankingTest {
  private static final int NUM_ITEMS = 1000;
  private static final int[] HISTORY = IntStream.rangeClosed(1, 300).map(i -> i * 3).toArray(); // 3, 6, ..., 900
  private static final EvalCase CASE = new EvalCase(7, HISTORY, 500);

  @Test
  void negativesAreDistinctAndNeverSeenNorTheTarget() {
    int[] negatives = new SampledRanking(NUM_ITEMS, 100, 42L).negatives(CASE);
    assertThat(negatives).hasSize(100);
    assertThat(Arrays.stream(negatives).distinct().count()).isEqualTo(100);
    Set<Integer> seen = new HashSet<>();
    for (int item : HISTORY) seen.add(item);
    for (int item : negatives) {
      assertThat(item).isBetween(1, NUM_ITEMS).isNotEqualTo(500);
      assertThat(seen).doesNotContain(item);
    }
  }

  @Test
  void deterministicForASeedAndDifferentForAnotherSeedOrUser() {
    int[] a = new SampledRanking(NUM_ITEMS, 100, 42L).negatives(CASE);
    int[] again = new SampledRanking(NUM_ITEMS, 100, 42L).negatives(CASE);
    int[] otherSeed = new SampledRanking(NUM_ITEMS, 100, 43L).negatives(CASE);
    int[] otherUser = new SampledRanking(NUM_ITEMS, 100, 42L).negatives(new EvalCase(8, HISTORY, 500));
    assertThat(again).isEqualTo(a);
    assertThat(otherSeed).isNotEqualTo(a);
    assertThat(otherUser).isNotEqualTo(a);
  }

  @Test
  void rankerUsesTheSameNegativesAsInspection() {
    SampledRanking protocol = new SampledRanking(NUM_ITEMS, 100, 42L);
    int[] negatives = protocol.negatives(CASE);
    // score = item index, so the rank is the number of negatives with a larger index than 500
    float[] scores = new float[NUM_ITEMS + 1];
    for (int i = 1; i <= NUM_ITEMS; i++) scores[i] = i;
    long expected = Arrays.stream(negatives).filter(item -> item > 500).count();
    assertThat(expected).isBetween(1L, 99L); // the check below can tell a wrong sample apart
    RankingProtocol.Ranker ranker = protocol.newRanker();
    ranker.rank(new EvalCase(1, new int[] {2}, 10), scores); // a previous case must not disturb the next
    assertThat(ranker.rank(CASE, scores)).isEqualTo((int) expected);
  }

  @Test
  void handComputedRankWhenTheFreeItemsAreExactlyTheNegatives() {
    // 6 items, history {1, 2}, target 3: the only unseen items are {4, 5, 6}, so 3 negatives = {4, 5, 6}
    SampledRanking protocol = new SampledRanking(6, 3, 1L);
    EvalCase c = new EvalCase(0, new int[] {1, 2}, 3);
    int[] negatives = protocol.negatives(c);
    Arrays.sort(negatives);
    assertThat(negatives).containsExactly(4, 5, 6);
    //               pad  1     2     3     4     5     6
    float[] scores = {0f, 0.9f, 0.1f, 0.5f, 0.7f, 0.3f, 0.2f};
    // among {3: 0.5, 4: 0.7, 5: 0.3, 6: 0.2} only item 4 beats the target -> rank 1
    // (item 1 scores higher but was seen, so it is never a negative)
    assertThat(protocol.newRanker().rank(c, scores)).isEqualTo(1);
    // a tie with item 5 counts against the target -> rank 2
    scores[5] = 0.5f;
    assertThat(protocol.newRanker().rank(c, scores)).isEqualTo(2);
  }

  @Test
  void constantScorerRanksTheTargetLast() {
    float[] constant = new float[NUM_ITEMS + 1];
    Arrays.fill(constant, 0.25f);
    assertThat(new SampledRanking(NUM_ITEMS, 100, 42L).newRanker().rank(CASE, constant)).isEqualTo(100);
  }

  @Test
  void tooFewUnseenItemsIsAClearError() {
    SampledRanking protocol = new SampledRanking(6, 4, 1L);
    assertThatThrownBy(() -> protocol.negatives(new EvalCase(5, new int[] {1, 2}, 3)))
        .hasMessageContaining("user 5 leaves only 3 unseen items but 4 negatives are required");
  }

  @Test
  void nanScoreOfANegativeIsAClearError() {
    SampledRanking protocol = new SampledRanking(6, 3, 1L);
    float[] scores = {0f, 0.9f, 0.1f, 0.5f, 0.7f, Float.NaN, 0.2f};
    assertThatThrownBy(() -> protocol.newRanker().rank(new EvalCase(0, new int[] {1, 2}, 3), scores))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NaN for item 5");
  }

  @Test
  void nameSaysTheNumberOfNegatives() {
    assertThat(new SampledRanking(NUM_ITEMS, 7L).name()).isEqualTo("sampled-100");
    assertThat(new SampledRanking(NUM_ITEMS, 50, 7L).name()).isEqualTo("sampled-50");
  }
}
