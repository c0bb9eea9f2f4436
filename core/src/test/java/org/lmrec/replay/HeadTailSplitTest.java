package org.lmrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.eval.PopularityGroups;

class HeadTailSplitTest {
  @Test
  void defaultFractionMakesTheTopFifthHead() {
    // counts a=5 b=4 c=3, d..j=1 over 10 items: sorted 1 1 1 1 1 1 1 3 4 5, h = 2, threshold = sorted[8] = 4
    Map<String, Long> counts = new HashMap<>(Map.of("a", 5L, "b", 4L, "c", 3L));
    for (char c = 'd'; c <= 'j'; c++) counts.put(String.valueOf(c), 1L);
    HeadTailSplit split = HeadTailSplit.of(counts, 10, 0.2);
    assertThat(split.threshold()).isEqualTo(4);
    assertThat(split.numHeadItems()).isEqualTo(2);
    assertThat(split.isTail("a")).isFalse();
    assertThat(split.isTail("b")).isFalse();
    assertThat(split.isTail("c")).isTrue();
    assertThat(split.isTail("never-seen")).isTrue();
  }

  @Test
  void catalogueItemsWithoutInteractionsCountAsZeroAndAreAlwaysTail() {
    // one item seen once in a catalogue of 10: sorted 0 x9, 1; threshold = max(1, sorted[8] = 0) = 1
    HeadTailSplit split = HeadTailSplit.of(Map.of("a", 1L), 10, 0.2);
    assertThat(split.threshold()).isEqualTo(1);
    assertThat(split.numHeadItems()).isEqualTo(1);
    assertThat(split.numItems()).isEqualTo(10);
    assertThat(HeadTailSplit.of(Map.of(), 10, 0.2).numHeadItems()).isZero();
  }

  @Test
  void agreesWithTheOfflinePopularityGroupsWhenEveryInteractionIsADistinctUser() {
    Random random = new Random(42);
    for (int trial = 0; trial < 20; trial++) {
      int numItems = 5 + random.nextInt(40);
      double fraction = 0.05 + 0.9 * random.nextDouble();
      Map<String, Long> counts = new HashMap<>();
      List<int[]> users = new ArrayList<>();
      for (int item = 1; item <= numItems; item++) {
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(12); // some catalogue items never interacted with
        if (n > 0) counts.put("i" + item, (long) n);
        for (int u = 0; u < n; u++) users.add(new int[] {item});
      }
      PopularityGroups offline = PopularityGroups.byHeadFraction(users.toArray(new int[0][]), numItems, fraction);
      HeadTailSplit replay = HeadTailSplit.of(counts, numItems, fraction);
      assertThat(replay.threshold()).as("trial %d", trial).isEqualTo(offline.threshold());
      assertThat(replay.numHeadItems()).as("trial %d", trial).isEqualTo(offline.numHeadItems());
      for (int item = 1; item <= numItems; item++) assertThat(replay.isTail("i" + item)).isEqualTo(offline.isTail(item));
    }
  }

  @Test
  void refusesNegativeCounts() {
    assertThatThrownBy(() -> HeadTailSplit.of(Map.of("x", -1L), 10, 0.2)).hasMessageContaining("item 'x' has interaction count -1");
  }
}
