package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class HnswItemIndexTest {
  static final int DIM = 64;
  static final int ITEMS = 20_000;
  static final int CLUSTERS = 200;
  static final long TABLE_SEED = 11;

  private static final float[] TABLE = SyntheticItemTables.clustered(ITEMS, DIM, CLUSTERS, TABLE_SEED);
  private static final HnswItemIndex INDEX = HnswItemIndex.build(TABLE, ITEMS, DIM, HnswItemIndex.Params.defaults());

  @Test
  void recallAt10AgainstTheExactScanOnAClusteredTableIsHighAtDefaultParameters() {
    float[][] users = SyntheticItemTables.clusteredUsers(200, DIM, CLUSTERS, TABLE_SEED, 5);
    float[][] exact = new ItemCatalogue(TABLE, ITEMS, DIM, ItemCatalogue.Kernel.SCALAR).scores(users);
    int found = 0;
    for (int u = 0; u < users.length; u++) {
      BitSet truth = new BitSet();
      for (int item : TopK.select(exact[u], 10, null)) truth.set(item);
      for (int item : INDEX.search(users[u], 10, null).items()) if (truth.get(item)) found++;
    }
    double recall = found / (10.0 * users.length);
    System.out.printf("HNSW recall@10 on %d clustered items: %.4f (build %.0f ms)%n", ITEMS, recall, INDEX.buildMillis());
    // 0.9995 at defaults; 0.948 when the search keeps only k candidates (efSearch ignored).
    assertThat(recall).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void returnsExactDotProductsBestFirst() {
    float[] user = SyntheticItemTables.clusteredUsers(1, DIM, CLUSTERS, TABLE_SEED, 6)[0];
    HnswItemIndex.Hits hits = INDEX.search(user, 10, null);
    assertThat(hits.items()).hasSize(10).doesNotContain(0);
    for (int i = 0; i < 10; i++) {
      assertThat(hits.scores()[i]).isEqualTo(HnswItemIndex.dot(TABLE, hits.items()[i] * DIM, user, DIM));
      if (i > 0) assertThat(hits.scores()[i]).isLessThanOrEqualTo(hits.scores()[i - 1]);
    }
  }

  @Test
  void excludedItemsAreNeverReturnedEvenWhenTheyAreTheBest() {
    float[] user = SyntheticItemTables.clusteredUsers(1, DIM, CLUSTERS, TABLE_SEED, 7)[0];
    BitSet seen = new BitSet();
    for (int item : INDEX.search(user, 30, null).items()) seen.set(item); // the 30 nearest: all seen
    seen.or(SyntheticItemTables.seen(ITEMS, 50, 8));
    HnswItemIndex.Hits hits = INDEX.search(user, 10, seen);
    assertThat(hits.items()).hasSize(10);
    for (int item : hits.items()) assertThat(seen.get(item)).as("item %d was seen", item).isFalse();
  }

  @Test
  void theSameTableGivesTheSameAnswersTwice() {
    // Gaussian and efSearch 10: answers that depend on the graph (another seed changes some).
    float[] small = SyntheticItemTables.gaussian(3_000, DIM, 21);
    HnswItemIndex a = HnswItemIndex.build(small, 3_000, DIM, HnswItemIndex.Params.defaults().withEfSearch(10));
    HnswItemIndex b = HnswItemIndex.build(small.clone(), 3_000, DIM, HnswItemIndex.Params.defaults().withEfSearch(10));
    BitSet seen = SyntheticItemTables.seen(3_000, 40, 3);
    for (float[] user : SyntheticItemTables.gaussianUsers(100, DIM, 9)) {
      HnswItemIndex.Hits first = a.search(user, 10, seen);
      assertThat(b.search(user, 10, seen).items()).containsExactly(first.items());
      assertThat(a.search(user, 10, seen).items()).containsExactly(first.items());
    }
  }

  @Test
  void fewerItemsLeftThanKGivesWhatIsLeft() {
    float[] tiny = SyntheticItemTables.gaussian(5, 4, 1);
    HnswItemIndex index = HnswItemIndex.build(tiny, 5, 4, HnswItemIndex.Params.defaults());
    BitSet seen = new BitSet();
    seen.set(2);
    seen.set(4);
    assertThat(index.search(new float[] {1, 1, 1, 1}, 10, seen).items()).containsExactlyInAnyOrder(1, 3, 5);
    assertThat(HnswItemIndex.build(new float[4], 0, 4, HnswItemIndex.Params.defaults()).search(new float[4], 10, null).items()).isEmpty();
  }

  @Test
  void invalidParametersAndShapesAreRefusedWithTheirNames() {
    assertThatThrownBy(() -> new HnswItemIndex.Params(1, 100, 100, 1)).hasMessageContaining("maxConn (M) must be in [2, 512], got 1");
    assertThatThrownBy(() -> new HnswItemIndex.Params(16, 0, 100, 1)).hasMessageContaining("beamWidth (efConstruction) must be in [1, 3200], got 0");
    assertThatThrownBy(() -> new HnswItemIndex.Params(16, 100, 0, 1)).hasMessageContaining("efSearch must be in [1, 10000], got 0");
    assertThatThrownBy(() -> HnswItemIndex.build(new float[10], 3, 4, HnswItemIndex.Params.defaults()))
        .hasMessageContaining("expected (numItems + 1) * dim = 16");
    assertThatThrownBy(() -> INDEX.search(new float[3], 10, null)).hasMessageContaining("user vector has 3 values, expected dim = 64");
  }
}
