package org.lmrec.enhance.p2rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;

class LatentCategoriesTest {
  /** Three well separated blobs of items: k-means must find exactly them. */
  private static Tensor blobs(int perBlob, long seed) {
    Random r = new Random(seed);
    float[][] centres = {{5, 0, 0}, {0, 5, 0}, {0, 0, 5}};
    int n = 3 * perBlob;
    float[] data = new float[(n + 1) * 3];
    for (int i = 1; i <= n; i++) {
      float[] c = centres[(i - 1) % 3];
      for (int j = 0; j < 3; j++) data[i * 3 + j] = c[j] + (float) r.nextGaussian() * 0.3f;
    }
    return new Tensor(data, n + 1, 3);
  }

  @Test
  void findsSeparatedClustersNumberedByTheirSmallestItem() {
    LatentCategories c = LatentCategories.cluster(blobs(40, 1), 3, 100, 7);
    assertThat(c.k()).isEqualTo(3);
    assertThat(c.categoryOfItem()[0]).isEqualTo(-1);
    for (int i = 1; i <= 120; i++) assertThat(c.categoryOfItem()[i]).as("item %d", i).isEqualTo((i - 1) % 3);
    assertThat(c.sizes()).containsExactly(40, 40, 40);
    assertThat(c.centroids().data()[0]).isCloseTo(5f, org.assertj.core.data.Offset.offset(0.2f));
  }

  @Test
  void sameSeedSameCategories() {
    Tensor t = blobs(30, 2);
    assertThat(LatentCategories.cluster(t, 5, 50, 3).categoryOfItem()).containsExactly(LatentCategories.cluster(t, 5, 50, 3).categoryOfItem());
  }

  @Test
  void tsvRoundTripChecksItems() {
    LatentCategories c = LatentCategories.cluster(blobs(5, 3), 3, 100, 1);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= 15; i++) ids.add("item" + i);
    assertThat(LatentCategories.fromTsv(c.toTsv(ids), ids, c.centroids()).categoryOfItem()).containsExactly(c.categoryOfItem());
    List<String> other = new ArrayList<>(ids);
    other.set(4, "else");
    assertThatThrownBy(() -> LatentCategories.fromTsv(c.toTsv(ids), other, c.centroids())).hasMessageContaining("expected item else");
  }

  @Test
  void refusesMoreCategoriesThanItems() {
    assertThatThrownBy(() -> LatentCategories.cluster(blobs(1, 1), 4, 10, 1)).hasMessageContaining("cannot form 4 categories from 3 items");
  }

  @Test
  void priorsAreNormalisedCountsPerCategory() {
    int[] category = {-1, 0, 1, 1, 2};
    LatentCategories c = new LatentCategories(category, new Tensor(new float[6], 3, 2));
    PreferencePriors g = PreferencePriors.of(new int[][] {{1, 2, 3, 3}, {4}, {}}, c);
    assertThat(g.of(0)).containsExactly(0.25f, 0.75f, 0f);
    assertThat(g.of(1)).containsExactly(0f, 0f, 1f);
    assertThat(g.hasItems(2)).isFalse();
    assertThat(g.toTensor().shape()).containsExactly(3, 3);
    assertThatThrownBy(() -> PreferencePriors.of(new int[][] {{5}}, c)).hasMessageContaining("outside 1..4");
  }
}
