package org.lmrec.tensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method.
 *
 * <p>Chosen over tridiagonal QL (Hipparchus' {@code EigenDecompositionSymmetric}) because that one
 * gives up after 30 iterations when many eigenvalues are (nearly) zero, which is exactly what a
 * covariance of fewer items than the LM is wide produces: a scheduled retraining died on it. Each
 * Jacobi rotation zeroes one off-diagonal entry and lowers the off-diagonal mass by its square, so
 * the sweeps converge on every finite symmetric matrix; there is no failure mode to report, only a
 * sweep cap as a guard against a pathological slow tail, after which the (still orthogonal)
 * result is returned as it stands. The same input always gives the same output.
 */
public final class SymmetricEigen {
  /** Off-diagonal entries below this fraction of the matrix's Frobenius norm count as zero. */
  static final double RELATIVE_TOLERANCE = 1e-15;
  /** Cyclic Jacobi converges quadratically; 10 sweeps are typical, 100 is never reached in practice. */
  static final int MAX_SWEEPS = 100;

  private final double[] values;
  private final double[][] vectors;
  private final int sweeps;

  private SymmetricEigen(double[] values, double[][] vectors, int sweeps) {
    this.values = values;
    this.vectors = vectors;
    this.sweeps = sweeps;
  }

  /**
   * Decomposes {@code matrix} (read as symmetric from its upper triangle; not modified).
   *
   * @throws IllegalArgumentException if it is not square or holds a NaN or infinity
   */
  public static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][n];
    double frobenius = 0;
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) throw new IllegalArgumentException("not a square matrix: row " + i + " has " + matrix[i].length + " columns, expected " + n);
      for (int j = i; j < n; j++) {
        double v = matrix[i][j];
        if (!Double.isFinite(v)) throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + v);
        a[i][j] = v;
        a[j][i] = v;
        frobenius += (i == j ? 1 : 2) * v * v;
      }
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) v[i][i] = 1;
    double negligible = RELATIVE_TOLERANCE * Math.sqrt(frobenius);
    int sweep = 0;
    boolean rotated = true;
    while (rotated && sweep < MAX_SWEEPS) {
      rotated = false;
      sweep++;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) <= negligible) continue;
          rotate(a, v, p, q);
          rotated = true;
        }
      }
    }
    return sorted(a, v, sweep);
  }

  /**
   * Zeroes {@code a[p][q]} by the rotation J with cos c and sin s in rows and columns p and q
   * (a ← JᵀaJ, kept symmetric), and accumulates it into {@code vt}, whose rows are the eigenvector
   * estimates (rows, not columns, so that both updates run along contiguous memory).
   */
  private static void rotate(double[][] a, double[][] vt, int p, int q) {
    int n = a.length;
    double apq = a[p][q];
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    // The smaller root of t² + 2θt − 1 = 0: a rotation angle of at most π/4 is the stable choice.
    double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    double[] rowP = a[p];
    double[] rowQ = a[q];
    for (int k = 0; k < n; k++) {
      if (k == p || k == q) continue;
      double g = rowP[k];
      double h = rowQ[k];
      double kp = c * g - s * h;
      double kq = s * g + c * h;
      rowP[k] = kp;
      rowQ[k] = kq;
      a[k][p] = kp;
      a[k][q] = kq;
    }
    rowP[p] -= t * apq;
    rowQ[q] += t * apq;
    rowP[q] = 0;
    rowQ[p] = 0;
    double[] vp = vt[p];
    double[] vq = vt[q];
    for (int k = 0; k < n; k++) {
      double g = vp[k];
      double h = vq[k];
      vp[k] = c * g - s * h;
      vq[k] = s * g + c * h;
    }
  }

  /** Eigenpairs in decreasing order of eigenvalue (ties by position, so the order is deterministic). */
  private static SymmetricEigen sorted(double[][] a, double[][] v, int sweeps) { // v: eigenvectors as rows
    int n = a.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -a[i][i]).thenComparingInt(i -> i));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      values[k] = a[i][i];
      vectors[k] = v[i].clone();
    }
    return new SymmetricEigen(values, vectors, sweeps);
  }

  /** Eigenvalues, largest first. */
  public double[] values() {
    return values.clone();
  }

  /** The unit eigenvector of the {@code k}-th largest eigenvalue. */
  public double[] vector(int k) {
    return vectors[k].clone();
  }

  /** Jacobi sweeps it took (for tests and diagnostics). */
  public int sweeps() {
    return sweeps;
  }
}
