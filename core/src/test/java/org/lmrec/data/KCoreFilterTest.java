package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.data.DataFixtures.sequencesById;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KCoreFilterTest {
  /**
   * A: 1 2 3, B: 1 2, C: 4 1, D: 5, item 6 never used. For k = 2: round 1 drops D (1 interaction)
   * and items 3, 4 (one user each), 5 and 6; then C has only item 1 left and goes in round 2;
   * items 1 and 2 keep 2 users each.
   */
  private static Dataset handMade() {
    DatasetBuilder b = new DatasetBuilder("toy");
    for (int i = 1; i <= 6; i++) b.itemAttributes("i" + i, Map.of("title", "Item " + i));
    b.interaction("A", "i1", 10).interaction("A", "i2", 20).interaction("A", "i3", 30);
    b.interaction("B", "i1", 11).interaction("B", "i2", 21);
    b.interaction("C", "i4", 12).interaction("C", "i1", 22);
    b.interaction("D", "i5", 13);
    return b.build();
  }

  @Test
  void twoCoreNeedsTwoRounds() {
    Dataset core = KCoreFilter.apply(handMade(), 2);

    assertThat(core.name()).isEqualTo("toy-2core");
    assertThat(core.userIds()).containsExactly("A", "B");
    assertThat(core.itemIds()).containsExactly(null, "i1", "i2");
    assertThat(core.sequences()).isDeepEqualTo(new int[][] {{1, 2}, {1, 2}});
    assertThat(core.timestamps(0)).containsExactly(10L, 20L);
    assertThat(core.timestamps(1)).containsExactly(11L, 21L);
    assertThat(core.itemText(2, 100)).isEqualTo("title is Item 2");
    assertThat(sequencesById(core)).containsExactly("A -> [i1, i2]", "B -> [i1, i2]");
  }

  @Test
  void oneCoreOnlyDropsItemsNobodyUsed() {
    Dataset data = handMade();
    Dataset core = KCoreFilter.apply(data, 1);

    assertThat(core.numUsers()).isEqualTo(4);
    assertThat(core.itemIds()).containsExactly(null, "i1", "i2", "i3", "i4", "i5");
    assertThat(core.numInteractions()).isEqualTo(data.numInteractions());
    assertThat(sequencesById(core)).isEqualTo(sequencesById(data));
  }

  @Test
  void everyRemainingUserAndItemHasAtLeastKOnARandomDataset() {
    Dataset data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(300).withItems(400).withSequenceLength(8, 2));
    Dataset core = KCoreFilter.apply(data, 5);

    assertThat(core.numUsers()).isPositive().isLessThan(data.numUsers());
    for (int u = 0; u < core.numUsers(); u++) assertThat(core.sequence(u).length).isGreaterThanOrEqualTo(5);
    int[] counts = new int[core.numItems() + 1];
    for (int[] s : core.sequences()) for (int i : s) counts[i]++;
    for (int i = 1; i <= core.numItems(); i++) assertThat(counts[i]).as("item %s", core.itemId(i)).isGreaterThanOrEqualTo(5);
    assertThat(KCoreFilter.apply(core, 5).sequences()).as("idempotent").isDeepEqualTo(core.sequences());
  }

  @Test
  void tooLargeKLeavesNothingAndZeroIsRejected() {
    Dataset empty = KCoreFilter.apply(handMade(), 4);
    assertThat(empty.numUsers()).isZero();
    assertThat(empty.numItems()).isZero();

    assertThatThrownBy(() -> KCoreFilter.apply(handMade(), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
