package org.lmrec.enhance;

import org.lmrec.tensor.SymmetricEigen;
import org.lmrec.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reduces LM item embeddings to the SRS dimension with principal component analysis, then rescales
 * the result so that its standard deviation equals {@code targetStd}: the LM's output scale has
 * nothing to do with the scale an SRS embedding table trains well at, while the relative variance
 * of the components (what PCA keeps) is preserved.
 *
 * <p>The decomposition is {@link SymmetricEigen} (cyclic Jacobi) of the smaller of the two
 * products of the centred data: the covariance XᵀX when there are more items than the LM is wide,
 * the Gram matrix XXᵀ otherwise. It cannot fail to converge, which matters because LM tables are
 * routinely rank-deficient: fewer items than the LM's width, duplicate or near-identical texts,
 * constant columns. Components without variance (beyond the table's rank) come out as zero
 * columns, and every component's sign is fixed (its largest score is positive), so the same table
 * always gives the same reduction.
 */
public final class EmbeddingReduction {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingReduction.class);
  /** Eigenvalues below this fraction of the largest are rounding noise of float32 inputs, not variance. */
  static final double NEGLIGIBLE_VARIANCE = 1e-12;

  private EmbeddingReduction() {}

  /**
   * @param table {@code [numItems + 1, width]}, row 0 (padding) ignored; every other value finite
   * @return {@code [numItems + 1, dim]} with a zero row 0
   * @throws IllegalArgumentException for a {@code dim} above the width, a non-positive target
   *     std, no items, or a NaN or infinite value (named by its row)
   */
  public static Tensor pca(Tensor table, int dim, double targetStd) {
    int rows = table.dim(0) - 1;
    int width = table.dim(1);
    if (dim > width) throw new IllegalArgumentException("cannot reduce width " + width + " to a larger dim " + dim);
    if (dim < 1) throw new IllegalArgumentException("PCA needs at least 1 component, got " + dim);
    if (rows < 1) throw new IllegalArgumentException("PCA needs at least 1 item, got none");
    if (!(targetStd > 0)) throw new IllegalArgumentException("target std must be positive, got " + targetStd);
    double[][] x = centred(table, rows, width);
    double[][] projected = rows <= width ? scoresFromGram(x, dim) : scoresFromCovariance(x, dim);
    fixSigns(projected, dim);
    int rank = rank(projected, dim);
    if (rank < dim) {
      LOG.warn("LM item embeddings of {} items vary in only {} of the {} requested PCA components; the other {} are zero",
          rows, rank, dim, dim - rank);
    }
    return scaled(projected, dim, targetStd);
  }

  /** Rows 1.. of {@code table} minus their column means, in double precision. */
  private static double[][] centred(Tensor table, int rows, int width) {
    float[] data = table.data();
    double[] mean = new double[width];
    double[][] x = new double[rows][width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        float v = data[(r + 1) * width + c];
        if (!Float.isFinite(v)) throw new IllegalArgumentException("LM embedding of item row " + (r + 1) + " holds " + v + " at column " + c);
        x[r][c] = v;
        mean[c] += v;
      }
    }
    for (int c = 0; c < width; c++) mean[c] /= rows;
    for (double[] row : x) for (int c = 0; c < width; c++) row[c] -= mean[c];
    return x;
  }

  /** Scores X·v_k from the eigenvectors of the covariance XᵀX (width × width). */
  private static double[][] scoresFromCovariance(double[][] x, int dim) {
    int width = x[0].length;
    double[][] cov = new double[width][width];
    for (double[] row : x) {
      for (int a = 0; a < width; a++) {
        double xa = row[a];
        if (xa == 0) continue;
        double[] ca = cov[a];
        for (int b = a; b < width; b++) ca[b] += xa * row[b];
      }
    }
    SymmetricEigen eigen = SymmetricEigen.of(cov);
    double[] lambda = eigen.values();
    double floor = negligible(lambda);
    double[][] scores = new double[x.length][dim];
    for (int k = 0; k < dim; k++) {
      if (lambda[k] <= floor) break;
      double[] v = eigen.vector(k);
      for (int r = 0; r < x.length; r++) {
        double s = 0;
        for (int c = 0; c < width; c++) s += x[r][c] * v[c];
        scores[r][k] = s;
      }
    }
    return scores;
  }

  /** Scores √λ_k·u_k from the eigenvectors of the Gram matrix XXᵀ (items × items): X = UΣVᵀ gives XV = UΣ. */
  private static double[][] scoresFromGram(double[][] x, int dim) {
    int rows = x.length;
    double[][] gram = new double[rows][rows];
    for (int a = 0; a < rows; a++) {
      for (int b = a; b < rows; b++) {
        double s = 0;
        for (int c = 0; c < x[a].length; c++) s += x[a][c] * x[b][c];
        gram[a][b] = s;
      }
    }
    SymmetricEigen eigen = SymmetricEigen.of(gram);
    double[] lambda = eigen.values();
    double floor = negligible(lambda);
    double[][] scores = new double[rows][dim];
    for (int k = 0; k < Math.min(dim, rows); k++) {
      if (lambda[k] <= floor) break;
      double[] u = eigen.vector(k);
      double sigma = Math.sqrt(lambda[k]);
      for (int r = 0; r < rows; r++) scores[r][k] = sigma * u[r];
    }
    return scores;
  }

  private static double negligible(double[] eigenvalues) {
    return Math.max(0, eigenvalues[0]) * NEGLIGIBLE_VARIANCE;
  }

  /** An eigenvector's sign is arbitrary: make each component's score of largest magnitude positive (first such row on ties). */
  private static void fixSigns(double[][] scores, int dim) {
    for (int k = 0; k < dim; k++) {
      double largest = 0;
      for (double[] row : scores) if (Math.abs(row[k]) > Math.abs(largest)) largest = row[k];
      if (largest < 0) for (double[] row : scores) row[k] = -row[k];
    }
  }

  /** Components with any non-zero score. */
  private static int rank(double[][] scores, int dim) {
    int rank = 0;
    for (int k = 0; k < dim; k++) {
      for (double[] row : scores) {
        if (row[k] != 0) {
          rank++;
          break;
        }
      }
    }
    return rank;
  }

  /** Standard deviation of every value in rows 1.. of a table (the padding row excluded). */
  public static double std(Tensor table) {
    int width = table.dim(1);
    float[] d = table.data();
    double sum = 0;
    double sq = 0;
    long n = (long) (table.dim(0) - 1) * width;
    for (int i = width; i < d.length; i++) {
      sum += d[i];
      sq += (double) d[i] * d[i];
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sq / n - mean * mean));
  }

  private static Tensor scaled(double[][] projected, int dim, double targetStd) {
    int rows = projected.length;
    double sq = 0;
    for (double[] row : projected) for (double v : row) sq += v * v; // PCA output is centred
    double std = Math.sqrt(sq / ((double) rows * dim));
    double factor = std > 0 ? targetStd / std : 0;
    float[] out = new float[(rows + 1) * dim];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < dim; c++) out[(r + 1) * dim + c] = (float) (projected[r][c] * factor);
    }
    return new Tensor(out, rows + 1, dim);
  }
}
