package org.lmrec.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void reconstructsARandomSymmetricMatrixWithOrthonormalVectorsInDecreasingOrder() {
    double[][] m = randomSymmetric(40, new Random(1));
    SymmetricEigen e = SymmetricEigen.of(m);
    assertReconstructs(m, e, 1e-10);
    assertOrthonormal(e, 40, 1e-12);
    double[] values = e.values();
    for (int k = 1; k < values.length; k++) assertThat(values[k]).isLessThanOrEqualTo(values[k - 1]);
  }

  @Test
  void convergesOnACovarianceOfFewerSamplesThanDimensions() {
    // 30 samples in 120 dimensions: 91 eigenvalues are zero, the case tridiagonal QL gave up on.
    Random r = new Random(2);
    double[][] x = new double[30][120];
    for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = (float) (r.nextGaussian() * 0.05);
    double[][] cov = new double[120][120];
    for (double[] row : x) for (int a = 0; a < 120; a++) for (int b = 0; b < 120; b++) cov[a][b] += row[a] * row[b];
    SymmetricEigen e = SymmetricEigen.of(cov);
    assertReconstructs(cov, e, 1e-12);
    assertOrthonormal(e, 120, 1e-12);
    assertThat(e.values()[29]).isPositive();
    assertThat(e.values()[30]).isCloseTo(0, offset(1e-12));
    assertThat(e.sweeps()).isLessThan(SymmetricEigen.MAX_SWEEPS);
  }

  @Test
  void handlesZeroDiagonalAndRepeatedEigenvalues() {
    SymmetricEigen zero = SymmetricEigen.of(new double[5][5]);
    assertThat(zero.values()).containsOnly(0.0);
    assertOrthonormal(zero, 5, 0);

    double[][] swap = {{0, 1}, {1, 0}};
    SymmetricEigen s = SymmetricEigen.of(swap);
    assertThat(s.values()).containsExactly(new double[] {1, -1}, offset(1e-15));
    assertReconstructs(swap, s, 1e-15);

    double[][] identity = new double[6][6];
    for (int i = 0; i < 6; i++) identity[i][i] = 3;
    assertThat(SymmetricEigen.of(identity).values()).containsOnly(3.0);
  }

  @Test
  void isDeterministicAndRefusesNonFiniteOrNonSquareInput() {
    double[][] m = randomSymmetric(25, new Random(3));
    SymmetricEigen a = SymmetricEigen.of(m);
    SymmetricEigen b = SymmetricEigen.of(m);
    assertThat(b.values()).containsExactly(a.values());
    for (int k = 0; k < 25; k++) assertThat(b.vector(k)).containsExactly(a.vector(k));

    m[3][7] = Double.NaN;
    assertThatThrownBy(() -> SymmetricEigen.of(m)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 7) is NaN");
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {3}})).hasMessageContaining("not a square matrix");
  }

  private static double[][] randomSymmetric(int n, Random r) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        m[i][j] = r.nextGaussian();
        m[j][i] = m[i][j];
      }
    }
    return m;
  }

  /** max |M − V diag(λ) Vᵀ| ≤ tolerance · max |M| (or ≤ tolerance when M is zero). */
  private static void assertReconstructs(double[][] m, SymmetricEigen e, double tolerance) {
    int n = m.length;
    double[] values = e.values();
    double scale = 0;
    for (double[] row : m) for (double v : row) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) s += e.vector(k)[i] * values[k] * e.vector(k)[j];
        assertThat(s).as("entry (%d, %d)", i, j).isCloseTo(m[i][j], offset(tolerance * Math.max(scale, 1e-300)));
      }
    }
  }

  private static void assertOrthonormal(SymmetricEigen e, int n, double tolerance) {
    for (int a = 0; a < n; a++) {
      for (int b = a; b < n; b++) {
        double dot = 0;
        for (int i = 0; i < n; i++) dot += e.vector(a)[i] * e.vector(b)[i];
        assertThat(dot).isCloseTo(a == b ? 1 : 0, offset(tolerance + 1e-15));
      }
    }
  }
}
