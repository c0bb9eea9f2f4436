package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;

class EmbeddingReductionTest {
  @Test
  void keepsTheDominantDirectionsAndTheRequestedScale() {
    // 200 items in 6-D whose variance lies in two directions (plus small noise): PCA to 2 keeps
    // the pairwise geometry up to the overall scale.
    Random r = new Random(4);
    int n = 200;
    float[] data = new float[(n + 1) * 6];
    for (int i = 1; i <= n; i++) {
      double a = r.nextGaussian() * 3;
      double b = r.nextGaussian();
      double[] v = {a, a, b, -b, 0, 0};
      for (int j = 0; j < 6; j++) data[i * 6 + j] = (float) (v[j] + r.nextGaussian() * 0.01 + 10);
    }
    Tensor reduced = EmbeddingReduction.pca(new Tensor(data, n + 1, 6), 2, 0.05);
    assertThat(reduced.shape()).containsExactly(n + 1, 2);
    assertThat(reduced.data()[0]).isZero();
    assertThat(reduced.data()[1]).isZero();
    assertThat(EmbeddingReduction.std(reduced)).isCloseTo(0.05, offset(0.002));
    double ratio = dist(reduced, 1, 2) / dist6(data, 1, 2);
    for (int k = 3; k < 40; k++) assertThat(dist(reduced, 1, k) / dist6(data, 1, k)).isCloseTo(ratio, offset(ratio * 0.02));
  }

  @Test
  void refusesImpossibleReductionsAndNonFiniteValues() {
    Tensor t = new Tensor(new float[4 * 3], 4, 3);
    assertThatThrownBy(() -> EmbeddingReduction.pca(t, 5, 1)).hasMessageContaining("larger dim");
    assertThatThrownBy(() -> EmbeddingReduction.pca(t, 3, 0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> EmbeddingReduction.pca(new Tensor(new float[3], 1, 3), 2, 1)).hasMessageContaining("at least 1 item");
    float[] d = gaussian(10, 4, new Random(1), 1);
    d[7 * 4 + 2] = Float.NaN;
    assertThatThrownBy(() -> EmbeddingReduction.pca(new Tensor(d, 11, 4), 2, 1)).hasMessageContaining("item row 7 holds NaN at column 2");
  }

  // The shapes that made Hipparchus' PCA throw "convergence failed" (every one of them did, on
  // every seed tried): an LM table is routinely rank-deficient. Each must reduce, and while the
  // requested width is at least the table's rank, PCA loses nothing but the scale.

  /**
   * The input that crashed a retraining (RetrainingLoopITCase, stage one): MiniLM with P2Rec's
   * LoRA over 203 item texts, captured as the job passed it (big-endian int rows, int width, then
   * float32 values; row 0 is padding). Its spectrum is checked against Hipparchus' SVD of the
   * centred data, an independent decomposition.
   */
  @Test
  void reducesTheCapturedTableThatCrashedARetrainingAndMatchesTheSingularValues() throws Exception {
    Tensor table;
    try (var in = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(
        getClass().getResourceAsStream("/enhance/pca-convergence-failure-203x384.bin.gz")))) {
      int rows = in.readInt(), width = in.readInt();
      float[] data = new float[rows * width];
      for (int i = 0; i < data.length; i++) data[i] = in.readFloat();
      table = new Tensor(data, rows, width);
    }
    assertThat(table.shape()).containsExactly(204, 384);
    Tensor reduced = EmbeddingReduction.pca(table, 32, 0.05);
    assertThat(EmbeddingReduction.std(reduced)).isCloseTo(0.05, offset(1e-6));
    assertComponentsUncorrelatedAndDecreasing(reduced);

    int n = 203, w = 384;
    double[][] x = new double[n][w];
    for (int c = 0; c < w; c++) {
      double mean = 0;
      for (int i = 1; i <= n; i++) mean += table.data()[i * w + c];
      mean /= n;
      for (int i = 1; i <= n; i++) x[i - 1][c] = table.data()[i * w + c] - mean;
    }
    double[] sigma = new org.hipparchus.linear.SingularValueDecomposition(new org.hipparchus.linear.Array2DRowRealMatrix(x, false)).getSingularValues();
    double top = columnSquares(reduced, 0);
    for (int k = 1; k < 32; k++) {
      assertThat(columnSquares(reduced, k) / top).as("variance ratio of component %d", k).isCloseTo(sigma[k] * sigma[k] / (sigma[0] * sigma[0]), offset(1e-5));
    }
  }

  @Test
  void reducesFewerItemsThanTheLmIsWide() {
    int n = 200;
    float[] data = gaussian(n, 384, new Random(2), 0.05);
    Tensor reduced = EmbeddingReduction.pca(new Tensor(data, n + 1, 384), 32, 0.05);
    assertThat(reduced.shape()).containsExactly(n + 1, 32);
    assertThat(EmbeddingReduction.std(reduced)).isCloseTo(0.05, offset(1e-6));
    assertComponentsUncorrelatedAndDecreasing(reduced);
  }

  @Test
  void reducesDuplicateRowsToIdenticalRowsAndKeepsTheGeometryOfTheDistinctOnes() {
    int n = 200, w = 384, distinct = 20;
    float[] base = gaussian(distinct, w, new Random(3), 0.05);
    float[] data = new float[(n + 1) * w];
    for (int i = 1; i <= n; i++) System.arraycopy(base, (1 + (i - 1) % distinct) * w, data, i * w, w);
    Tensor reduced = EmbeddingReduction.pca(new Tensor(data, n + 1, w), 32, 0.05);
    assertThat(row(reduced, 1 + distinct)).containsExactly(row(reduced, 1));
    assertThat(zeroColumns(reduced)).isEqualTo(32 - (distinct - 1)); // 20 points span 19 directions
    assertGeometryKept(data, w, reduced, distinct);
  }

  @Test
  void ignoresConstantColumnsWhetherItemsOutnumberTheWidthOrNot() {
    // The same 60 points, in 40 columns and padded with 60 constant ones: the covariance route
    // (60 items > 40 columns) and the Gram route (60 items <= 100 columns) must agree.
    int n = 60;
    float[] narrow = gaussian(n, 40, new Random(4), 1);
    float[] wide = new float[(n + 1) * 100];
    for (int i = 1; i <= n; i++) {
      System.arraycopy(narrow, i * 40, wide, i * 100, 40);
      for (int j = 40; j < 100; j++) wide[i * 100 + j] = 0.25f;
    }
    Tensor a = EmbeddingReduction.pca(new Tensor(narrow, n + 1, 40), 10, 0.1);
    Tensor b = EmbeddingReduction.pca(new Tensor(wide, n + 1, 100), 10, 0.1);
    for (int i = 0; i < a.data().length; i++) assertThat(b.data()[i]).isCloseTo(a.data()[i], offset(1e-5f));
  }

  @Test
  void reducesNearIdenticalTextsAndFewerItemsThanComponents() {
    int w = 384;
    float[] base = gaussian(5, w, new Random(5), 0.05);
    Random r = new Random(6);
    float[] data = new float[(41) * w];
    for (int i = 1; i <= 40; i++) {
      for (int j = 0; j < w; j++) data[i * w + j] = (float) (base[(1 + i % 5) * w + j] + r.nextGaussian() * 1e-6);
    }
    Tensor near = EmbeddingReduction.pca(new Tensor(data, 41, w), 32, 0.05);
    assertThat(EmbeddingReduction.std(near)).isCloseTo(0.05, offset(1e-6));
    assertThat(dist(near, 1, 6)).isLessThan(dist(near, 1, 2) * 1e-3); // twins stay twins

    Tensor few = EmbeddingReduction.pca(new Tensor(gaussian(8, w, new Random(7), 1), 9, w), 32, 0.05);
    assertThat(few.shape()).containsExactly(9, 32);
    assertThat(zeroColumns(few)).isEqualTo(32 - 7);
    assertThat(EmbeddingReduction.std(few)).isCloseTo(0.05, offset(1e-6));

    Tensor one = EmbeddingReduction.pca(new Tensor(gaussian(1, w, new Random(8), 1), 2, w), 4, 0.05);
    assertThat(one.data()).containsOnly(0f); // a single item has no variance to keep
  }

  @Test
  void theSameTableAlwaysGivesTheSameReductionWithFixedSigns() {
    float[] data = gaussian(150, 64, new Random(9), 0.3);
    Tensor a = EmbeddingReduction.pca(new Tensor(data, 151, 64), 16, 0.05);
    Tensor b = EmbeddingReduction.pca(new Tensor(data.clone(), 151, 64), 16, 0.05);
    assertThat(b.data()).containsExactly(a.data());
    for (int k = 0; k < 16; k++) {
      float largest = 0;
      for (int i = 1; i <= 150; i++) if (Math.abs(a.data()[i * 16 + k]) > Math.abs(largest)) largest = a.data()[i * 16 + k];
      assertThat(largest).isPositive();
    }
  }

  /** Rows 1..n of an {@code [n + 1, w]} table of independent normal values (row 0 zero). */
  private static float[] gaussian(int n, int w, Random r, double std) {
    float[] data = new float[(n + 1) * w];
    for (int i = w; i < data.length; i++) data[i] = (float) (r.nextGaussian() * std);
    return data;
  }

  private static double columnSquares(Tensor t, int k) {
    int w = t.dim(1);
    double s = 0;
    for (int i = 1; i < t.dim(0); i++) s += (double) t.data()[i * w + k] * t.data()[i * w + k];
    return s;
  }

  private static float[] row(Tensor t, int i) {
    int w = t.dim(1);
    return java.util.Arrays.copyOfRange(t.data(), i * w, (i + 1) * w);
  }

  private static int zeroColumns(Tensor t) {
    int w = t.dim(1), zero = 0;
    for (int c = 0; c < w; c++) {
      boolean allZero = true;
      for (int i = 1; i < t.dim(0); i++) allZero &= t.data()[i * w + c] == 0;
      if (allZero) zero++;
    }
    return zero;
  }

  /** Pairwise distances among the first {@code rows} items scale by one common factor. */
  private static void assertGeometryKept(float[] data, int w, Tensor reduced, int rows) {
    double ratio = dist(reduced, 1, 2) / distW(data, w, 1, 2);
    for (int a = 1; a <= rows; a++) {
      for (int b = a + 1; b <= rows; b++) assertThat(dist(reduced, a, b) / distW(data, w, a, b)).isCloseTo(ratio, offset(ratio * 1e-4));
    }
  }

  /** Components (columns) have zero pairwise covariance and non-increasing variance. */
  private static void assertComponentsUncorrelatedAndDecreasing(Tensor t) {
    int w = t.dim(1), n = t.dim(0) - 1;
    double[][] cov = new double[w][w];
    for (int i = 1; i <= n; i++) for (int a = 0; a < w; a++) for (int b = 0; b < w; b++) cov[a][b] += t.data()[i * w + a] * t.data()[i * w + b];
    for (int a = 0; a < w; a++) {
      if (a > 0) assertThat(cov[a][a]).isLessThanOrEqualTo(cov[a - 1][a - 1] * (1 + 1e-5));
      for (int b = a + 1; b < w; b++) assertThat(cov[a][b]).isCloseTo(0, offset(cov[0][0] * 1e-5));
    }
  }

  private static double distW(float[] data, int w, int a, int b) {
    double s = 0;
    for (int j = 0; j < w; j++) {
      double d = data[a * w + j] - data[b * w + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static double dist(Tensor t, int a, int b) {
    int w = t.dim(1);
    double s = 0;
    for (int j = 0; j < w; j++) {
      double d = t.data()[a * w + j] - t.data()[b * w + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static double dist6(float[] data, int a, int b) {
    double s = 0;
    for (int j = 0; j < 6; j++) {
      double d = data[a * 6 + j] - data[b * 6 + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
