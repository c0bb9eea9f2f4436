package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;

class PopularityGroupsTest {
  // Distinct users per item: 1 -> 5 (user 1 has it twice), 2 -> 4, 3 -> 3, items 4..10 -> 1 each.
  private static final int[][] TRAIN = {
    {1, 2, 3, 4}, {1, 2, 3, 5, 1}, {1, 2, 3, 6, 7}, {1, 2, 8, 9}, {1, 10}
  };

  @Test
  void countsDistinctUsersAndAppliesAnExplicitThreshold() {
    PopularityGroups groups = PopularityGroups.withThreshold(TRAIN, 10, 3);
    assertThat(groups.userCount(1)).isEqualTo(5);
    assertThat(groups.userCount(2)).isEqualTo(4);
    assertThat(groups.userCount(3)).isEqualTo(3);
    assertThat(groups.userCount(4)).isEqualTo(1);
    // tail = fewer than 3 users: items 4..10; item 3 with exactly 3 is head
    assertThat(groups.isTail(3)).isFalse();
    assertThat(groups.isTail(4)).isTrue();
    assertThat(groups.numTailItems()).isEqualTo(7);
    assertThat(groups.numHeadItems()).isEqualTo(3);
  }

  @Test
  void defaultRuleMakesAboutTwentyPercentHead() {
    // sorted counts: 1 1 1 1 1 1 1 3 4 5; h = round(0.2 * 10) = 2; threshold = sorted[10 - 2] = 4
    PopularityGroups groups = PopularityGroups.byDefault(TRAIN, 10);
    assertThat(groups.threshold()).isEqualTo(4);
    assertThat(groups.numHeadItems()).isEqualTo(2);
    assertThat(groups.isTail(1)).isFalse();
    assertThat(groups.isTail(2)).isFalse();
    assertThat(groups.isTail(3)).isTrue();
  }

  @Test
  void headFractionMovesTheThresholdAndTiesEnlargeTheHead() {
    // sorted counts 1 1 1 1 1 1 1 3 4 5; fraction 0.3: h = 3, threshold = sorted[7] = 3 -> items 1, 2, 3 head
    assertThat(PopularityGroups.byHeadFraction(TRAIN, 10, 0.3).numHeadItems()).isEqualTo(3);
    // fraction 0.4: h = 4, threshold = sorted[6] = 1 -> the seven tied items make all 10 head
    assertThat(PopularityGroups.byHeadFraction(TRAIN, 10, 0.4).numHeadItems()).isEqualTo(10);
  }

  @Test
  void itemsUnseenInTrainingAreAlwaysTail() {
    // only item 1 is seen: sorted counts 0 x9, 1; threshold = max(1, sorted[8] = 0) = 1
    PopularityGroups groups = PopularityGroups.byDefault(new int[][] {{1}}, 10);
    assertThat(groups.threshold()).isEqualTo(1);
    assertThat(groups.numHeadItems()).isEqualTo(1);
    assertThat(groups.isTail(2)).isTrue();
  }

  @Test
  void heldOutItemsDoNotCount() {
    // x = 1, y = 2, z = 3. Item z is only ever a held-out item (last of each user).
    Dataset d = new DatasetBuilder("hand")
        .interaction("u1", "x").interaction("u1", "y").interaction("u1", "z")
        .interaction("u2", "x").interaction("u2", "y").interaction("u2", "z")
        .build();
    LeaveOneOutSplit split = LeaveOneOutSplit.of(d);
    PopularityGroups groups = PopularityGroups.withThreshold(split.trainSequences(), split.numItems(), 1);
    assertThat(d.distinctUsersPerItem()[3]).isEqualTo(2);
    assertThat(groups.userCount(1)).isEqualTo(2);
    assertThat(groups.userCount(2)).isEqualTo(0); // y is the validation target of both users
    assertThat(groups.userCount(3)).isEqualTo(0);
    assertThat(groups.isTail(3)).isTrue();
  }

  @Test
  void badInputsAreRejected() {
    assertThatThrownBy(() -> PopularityGroups.withThreshold(new int[][] {{11}}, 10, 1))
        .hasMessageContaining("training sequence of user 0 has item 11 outside 1..10");
    assertThatThrownBy(() -> PopularityGroups.byHeadFraction(TRAIN, 10, 0))
        .hasMessageContaining("headFraction must be in (0, 1]");
    assertThatThrownBy(() -> PopularityGroups.withThreshold(TRAIN, 10, 1).isTail(0))
        .hasMessageContaining("item 0 outside 1..10");
  }
}
