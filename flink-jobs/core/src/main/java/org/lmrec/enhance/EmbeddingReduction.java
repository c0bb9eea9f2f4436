package org.lmrec.enhance;

import org.hipparchus.stat.projection.PCA;
import org.lmrec.tensor.Tensor;

/**
 * Reduces LM item embeddings to the SRS dimension with principal component analysis (Hipparchus),
 * then rescales the result so that its standard deviation equals {@code targetStd}: the LM's
 * output scale has nothing to do with the scale an SRS embedding table trains well at, while the
 * relative variance of the components (what PCA keeps) is preserved.
 */
public final class EmbeddingReduction {
  private EmbeddingReduction() {}

  /**
   * @param table {@code [numItems + 1, width]}, row 0 (padding) ignored
   * @return {@code [numItems + 1, dim]} with a zero row 0
   */
  public static Tensor pca(Tensor table, int dim, double targetStd) {
    int rows = table.dim(0) - 1;
    int width = table.dim(1);
    if (dim > width) throw new IllegalArgumentException("cannot reduce width " + width + " to a larger dim " + dim);
    if (rows < dim) throw new IllegalArgumentException("PCA to " + dim + " components needs at least " + dim + " items, got " + rows);
    if (!(targetStd > 0)) throw new IllegalArgumentException("target std must be positive, got " + targetStd);
    double[][] x = new double[rows][width];
    float[] data = table.data();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) x[r][c] = data[(r + 1) * width + c];
    }
    double[][] projected = new PCA(dim).fitAndTransform(x);
    return scaled(projected, dim, targetStd);
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
