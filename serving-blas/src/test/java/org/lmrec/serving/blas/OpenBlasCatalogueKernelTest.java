package org.lmrec.serving.blas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.serving.ItemCatalogue.Kernel;

/** The OpenBLAS kernel must give the scalar reference's scores, up to float rounding, on every shape. */
class OpenBlasCatalogueKernelTest {
  /** Relative to sum_c |x_c * t_c|, the scale of a d-term float dot product's rounding error. */
  private static final double TOLERANCE = 1e-5;

  static Stream<Arguments> shapes() {
    List<Arguments> shapes = new ArrayList<>();
    // 33 and 65 are not multiples of any panel width; 70,001 items for one user crosses a chunk boundary.
    for (int items : new int[] {1, 7, 33, 1001, 4097}) {
      for (int dim : new int[] {1, 3, 64, 65}) {
        for (int users : new int[] {1, 3, 33}) shapes.add(Arguments.of(items, dim, users));
      }
    }
    shapes.add(Arguments.of(70_001, 64, 1));
    shapes.add(Arguments.of(70_001, 64, 3));
    return shapes.stream();
  }

  @ParameterizedTest(name = "items={0} dim={1} users={2}")
  @MethodSource("shapes")
  void matchesTheScalarReference(int numItems, int dim, int numUsers) {
    Random r = new Random(31L * numItems + 7L * dim + numUsers);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[numUsers][];
    for (int u = 0; u < numUsers; u++) users[u] = gaussian(r, dim);

    float[][] scalar = new ItemCatalogue(table, numItems, dim, Kernel.SCALAR).scores(users);
    float[][] blas = new ItemCatalogue(table, numItems, dim, Kernel.BLAS).scores(users);

    assertClose(table, users, scalar, blas, numItems, dim);
  }

  @Test
  void reusesItsBuffersAcrossBatchesOfEverySize() {
    // Small, then larger (the native buffers grow), then small again: stale values must not leak.
    int numItems = 1234;
    int dim = 48;
    Random r = new Random(5);
    float[] table = gaussian(r, (numItems + 1) * dim);
    float[][] users = new float[40][];
    for (int u = 0; u < users.length; u++) users[u] = gaussian(r, dim);
    ItemCatalogue scalar = new ItemCatalogue(table, numItems, dim, Kernel.SCALAR);
    ItemCatalogue blas = new ItemCatalogue(table, numItems, dim, Kernel.BLAS);
    float[][] expected = scalar.scores(users);

    float[][] buffer = new float[users.length][numItems + 1];
    for (int count : new int[] {2, 40, 5, 1}) {
      for (float[] row : buffer) Arrays.fill(row, 42f);
      blas.scores(users, count, buffer);
      assertClose(table, Arrays.copyOf(users, count), Arrays.copyOf(expected, count), Arrays.copyOf(buffer, count), numItems, dim);
      for (int u = count; u < buffer.length; u++) assertThat(buffer[u]).containsOnly(42f);
    }
  }

  @Test
  void emptyCatalogueScoresOnlyThePaddingColumn() {
    float[][] scores = new ItemCatalogue(new float[4], 0, 4, Kernel.BLAS).scores(new float[][] {{1, 2, 3, 4}});
    assertThat(scores[0]).containsExactly(Float.NEGATIVE_INFINITY);
  }

  private static void assertClose(float[] table, float[][] users, float[][] expected, float[][] actual, int numItems, int dim) {
    for (int u = 0; u < users.length; u++) {
      assertThat(actual[u]).hasSize(numItems + 1);
      assertThat(actual[u][0]).isEqualTo(Float.NEGATIVE_INFINITY);
      for (int item = 1; item <= numItems; item++) {
        double scale = 0;
        for (int c = 0; c < dim; c++) scale += Math.abs((double) users[u][c] * table[item * dim + c]);
        double diff = Math.abs(actual[u][item] - expected[u][item]);
        if (!(diff <= TOLERANCE * scale + 1e-30)) {
          throw new AssertionError("user " + u + " item " + item + ": blas " + actual[u][item]
              + " vs scalar " + expected[u][item] + " (allowed difference " + TOLERANCE * scale + ")");
        }
      }
    }
  }

  static float[] gaussian(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
    return a;
  }
}
