package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {
  /** Reference: sort everything, best first, ties to the smaller index. */
  static int[] bySorting(float[] scores, int k, BitSet excluded) {
    List<Integer> items = new ArrayList<>();
    for (int i = 1; i < scores.length; i++) if (excluded == null || !excluded.get(i)) items.add(i);
    items.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return items.stream().limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void equalsAFullSortOnRandomScoresWithTiesAndExclusions() {
    Random r = new Random(9);
    for (int n : new int[] {1, 2, 15, 16, 17, 33, 100, 1001, 5000}) {
      for (int k : new int[] {1, 3, 10, 50}) {
        float[] scores = new float[n + 1];
        scores[0] = Float.NEGATIVE_INFINITY;
        for (int i = 1; i <= n; i++) scores[i] = r.nextInt(40) / 4f; // many ties
        BitSet excluded = new BitSet();
        for (int i = 1; i <= n; i++) if (r.nextInt(5) == 0) excluded.set(i);
        assertThat(TopK.select(scores, k, excluded)).as("n=%d k=%d", n, k).containsExactly(bySorting(scores, k, excluded));
        assertThat(TopK.select(scores, k, null)).as("n=%d k=%d, nothing excluded", n, k).containsExactly(bySorting(scores, k, null));
      }
    }
  }

  @Test
  void ascendingScoresReplaceTheMinimumEveryTime() {
    float[] scores = new float[2001];
    for (int i = 1; i < scores.length; i++) scores[i] = i;
    assertThat(TopK.select(scores, 3, null)).containsExactly(2000, 1999, 1998);
  }

  @Test
  void aNanScoreIsAnErrorWhereverItIs() {
    for (int at : new int[] {1, 5, 40, 99}) {
      float[] scores = new float[100];
      for (int i = 1; i < scores.length; i++) scores[i] = 100 - i;
      scores[at] = Float.NaN;
      assertThatThrownBy(() -> TopK.select(scores, 3, null)).hasMessageContaining("item " + at + " is NaN");
    }
  }

  @Test
  void fewerCandidatesThanKGivesAllOfThem() {
    float[] scores = {Float.NEGATIVE_INFINITY, 1, 3, 2};
    BitSet excluded = new BitSet();
    excluded.set(2);
    assertThat(TopK.select(scores, 10, excluded)).containsExactly(3, 1);
    assertThat(TopK.select(scores, 0, null)).isEmpty();
  }

  @Test
  void scalarAndVectorScansAgree() {
    Random r = new Random(4);
    float[] scores = new float[1000];
    for (int i = 0; i < scores.length; i++) scores[i] = r.nextFloat();
    for (int from = 0; from < 1000; from += 37) {
      for (float threshold : new float[] {0.5f, 0.99f, 0.9999f, 2f}) {
        assertThat(VectorThresholdScan.next(scores, from, threshold)).isEqualTo(ThresholdScan.scalar(scores, from, threshold));
      }
    }
  }
}
