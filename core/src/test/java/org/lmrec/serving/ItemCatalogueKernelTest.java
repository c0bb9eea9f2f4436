package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lmrec.serving.ItemCatalogue.Kernel;

/** The vector kernel must give the scalar kernel's scores (up to rounding) for every shape. */
class ItemCatalogueKernelTest {
  /** Relative to sum_c |x_c * t_c|, the scale of the rounding error of a d-term float dot product. */
  static final double TOLERANCE = 1e-5;

  static Stream<Arguments> shapes() {
    int panel = VectorCatalogueKernel.PANEL;
    List<Arguments> shapes = new ArrayList<>();
    for (int items : new int[] {1, 7, 1001, panel, panel + 1, 3 * panel - 1}) {
      for (int dim : new int[] {1, 3, 50, 64, 65}) {
        for (int users : new int[] {1, 3, 5, 17}) shapes.add(Arguments.of(items, dim, users));
      }
    }
    return shapes.stream();
  }

  @ParameterizedTest(name = "items={0} dim={1} users={2}")
  @MethodSource("shapes")
  void vectorKernelMatchesScalarKernel(int numItems, int dim, int numUsers) {
    Random r = new Random(31L * numItems + 7L * dim + numUsers);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[numUsers][];
    for (int u = 0; u < numUsers; u++) users[u] = gaussian(r, dim);

    float[][] scalar = new ItemCatalogue(table, numItems, dim, Kernel.SCALAR).scores(users);
    float[][] vector = new ItemCatalogue(table, numItems, dim, Kernel.VECTOR).scores(users);

    for (int u = 0; u < numUsers; u++) {
      assertThat(vector[u]).hasSize(numItems + 1);
      assertThat(vector[u][0]).isEqualTo(Float.NEGATIVE_INFINITY);
      assertThat(scalar[u][0]).isEqualTo(Float.NEGATIVE_INFINITY);
      for (int item = 1; item <= numItems; item++) {
        double scale = 0;
        for (int c = 0; c < dim; c++) scale += Math.abs((double) users[u][c] * table[item * dim + c]);
        double diff = Math.abs(vector[u][item] - scalar[u][item]);
        if (diff > TOLERANCE * scale + 1e-30) {
          throw new AssertionError("user " + u + " item " + item + ": vector " + vector[u][item]
              + " vs scalar " + scalar[u][item] + " (allowed difference " + TOLERANCE * scale + ")");
        }
      }
    }
  }

  @Test
  void bothKernelsComputeExactDotProductsOnSmallIntegers() {
    // Small integers multiply and add exactly in float, so every kernel must hit the exact value.
    int numItems = 37;
    int dim = 5;
    float[] table = new float[(numItems + 1) * dim];
    for (int item = 0; item <= numItems; item++) {
      for (int c = 0; c < dim; c++) table[item * dim + c] = (item * (c + 3)) % 7 - 3;
    }
    float[][] users = {{1, 0, 0, 0, 0}, {0, 0, 0, 0, 2}, {1, -2, 3, -1, 2}};
    for (Kernel kernel : Kernel.values()) {
      if (!kernel.available()) continue; // BLAS lives in lmrec-serving-blas, whose tests cover it
      float[][] scores = new ItemCatalogue(table, numItems, dim, kernel).scores(users);
      for (int u = 0; u < users.length; u++) {
        for (int item = 1; item <= numItems; item++) {
          float expected = 0;
          for (int c = 0; c < dim; c++) expected += users[u][c] * table[item * dim + c];
          assertThat(scores[u][item]).as("%s user %d item %d", kernel, u, item).isEqualTo(expected);
        }
      }
    }
    // spot-check a value by hand: item 2, user {1,0,0,0,0} -> (2*3)%7-3 = 3
    assertThat(new ItemCatalogue(table, numItems, dim, Kernel.VECTOR).scores(users)[0][2]).isEqualTo(3f);
  }

  @Test
  void topTenIsTheSameWithBothKernels() {
    int numItems = 5000;
    int dim = 64;
    Random r = new Random(2024);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[17][];
    for (int u = 0; u < users.length; u++) users[u] = gaussian(r, dim);
    float[][] scalar = new ItemCatalogue(table, numItems, dim, Kernel.SCALAR).scores(users);
    float[][] vector = new ItemCatalogue(table, numItems, dim, Kernel.VECTOR).scores(users);
    for (int u = 0; u < users.length; u++) {
      int[] expected = TopK.select(scalar[u], 10, null);
      assertThat(expected).hasSize(10);
      assertThat(TopK.select(vector[u], 10, null)).as("user %d", u).containsExactly(expected);
    }
  }

  @Test
  void scoresIntoReusedBuffersAndLeavesRowsPastCountAlone() {
    int numItems = 301;
    int dim = 24;
    Random r = new Random(5);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[6][];
    for (int u = 0; u < users.length; u++) users[u] = gaussian(r, dim);
    ItemCatalogue catalogue = new ItemCatalogue(table, numItems, dim, Kernel.VECTOR);
    float[][] expected = catalogue.scores(users);

    float[][] buffer = new float[8][numItems + 1];
    for (float[] row : buffer) Arrays.fill(row, 42f);
    catalogue.scores(users, 3, buffer); // stale values everywhere must be overwritten
    for (int u = 0; u < 3; u++) assertThat(buffer[u]).containsExactly(expected[u]);
    for (int u = 3; u < 8; u++) assertThat(buffer[u]).containsOnly(42f);

    catalogue.scores(users, 6, buffer);
    for (int u = 0; u < 6; u++) assertThat(buffer[u]).containsExactly(expected[u]);
  }

  @Test
  void aUsersScoresDoNotDependOnTheBatchItCameIn() {
    // Users 0..3 go through the four-user path in the batch and the one-user path alone.
    int numItems = 3 * VectorCatalogueKernel.PANEL + 5;
    int dim = 33;
    Random r = new Random(11);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[7][];
    for (int u = 0; u < users.length; u++) users[u] = gaussian(r, dim);
    ItemCatalogue catalogue = new ItemCatalogue(table, numItems, dim, Kernel.VECTOR);
    float[][] batch = catalogue.scores(users);
    for (int u = 0; u < users.length; u++) {
      assertThat(catalogue.scores(new float[][] {users[u]})[0]).as("user %d", u).containsExactly(batch[u]);
    }
  }

  @Test
  void emptyCatalogueScoresOnlyThePaddingColumn() {
    float[][] scores = new ItemCatalogue(new float[4], 0, 4, Kernel.VECTOR).scores(new float[][] {{1, 2, 3, 4}});
    assertThat(scores[0]).containsExactly(Float.NEGATIVE_INFINITY);
  }

  @Test
  void refusesMismatchedShapes() {
    ItemCatalogue catalogue = new ItemCatalogue(new float[3 * 4], 2, 4, Kernel.VECTOR);
    assertThatThrownBy(() -> catalogue.scores(new float[][] {{1, 2, 3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user 0 has 3 values, expected dim = 4");
    assertThatThrownBy(() -> catalogue.scores(new float[][] {{1, 2, 3, 4}}, 1, new float[1][4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output row 0 has 4 values, expected numItems + 1 = 3");
    assertThatThrownBy(() -> new ItemCatalogue(new float[10], 2, 4, Kernel.VECTOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected (numItems + 1) * dim = 12");
  }

  @Test
  void defaultsToTheVectorKernelWhenTheModuleIsLoaded() {
    // The build passes --add-modules jdk.incubator.vector to the tests, as the launchers do.
    assertThat(Kernel.VECTOR.available()).isTrue();
    if (System.getProperty(ItemCatalogue.KERNEL_PROPERTY) == null) {
      assertThat(new ItemCatalogue(new float[8], 1, 4).kernel()).isEqualTo(Kernel.VECTOR);
    }
  }

  private static float[] gaussian(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }
}
