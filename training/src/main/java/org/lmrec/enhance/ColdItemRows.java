package org.lmrec.enhance;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.lmrec.tensor.Tensor;

/**
 * Rows for items the SRS never saw in training, from their text: a ridge regression from the LM
 * embedding to the trained item row, fitted on the items that were trained, applied to the others.
 * A trained table's never-seen rows only ever received the softmax's push-down, so without this a
 * new catalogue item could not be recommended until it had interactions.
 */
public final class ColdItemRows {
  /** Ridge strength relative to the mean diagonal of XᵀX: enough to keep the solve well-posed. */
  static final double RELATIVE_RIDGE = 1e-2;

  private ColdItemRows() {}

  /**
   * @param table trained item table {@code [numItems + 1, d]}; row 0 is padding and left alone
   * @param lmEmbeddings LM embedding of every item {@code [numItems + 1, h]}
   * @param trainCounts training occurrences of each item (index 0 unused); items with 0 are cold
   * @return a copy of {@code table} with every cold row replaced by its text-based estimate, or
   *     {@code table} itself when no item is cold or too few are trained to fit the map
   */
  public static Tensor fill(Tensor table, Tensor lmEmbeddings, int[] trainCounts) {
    int n = table.dim(0) - 1;
    int d = table.dim(1);
    int h = lmEmbeddings.dim(1);
    if (lmEmbeddings.dim(0) != n + 1 || trainCounts.length != n + 1) {
      throw new IllegalArgumentException("table, LM embeddings and counts disagree on the number of items");
    }
    int warm = 0;
    for (int i = 1; i <= n; i++) if (trainCounts[i] > 0) warm++;
    if (warm == n || warm < 2) return table;

    // Normal equations with a bias column: (XᵀX + λI) W = XᵀY, X = [embedding, 1] over trained items.
    int p = h + 1;
    double[][] xtx = new double[p][p];
    double[][] xty = new double[p][d];
    float[] e = lmEmbeddings.data();
    float[] t = table.data();
    double[] x = new double[p];
    for (int i = 1; i <= n; i++) {
      if (trainCounts[i] == 0) continue;
      for (int k = 0; k < h; k++) x[k] = e[i * h + k];
      x[h] = 1;
      for (int a = 0; a < p; a++) {
        double xa = x[a];
        if (xa == 0) continue;
        for (int b = a; b < p; b++) xtx[a][b] += xa * x[b];
        for (int c = 0; c < d; c++) xty[a][c] += xa * t[i * d + c];
      }
    }
    double trace = 0;
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < a; b++) xtx[a][b] = xtx[b][a];
      trace += xtx[a][a];
    }
    double ridge = RELATIVE_RIDGE * trace / p;
    for (int a = 0; a < h; a++) xtx[a][a] += ridge; // the bias is not shrunk
    xtx[h][h] += 1e-9 * trace / p;
    RealMatrix w = new CholeskyDecomposition(new Array2DRowRealMatrix(xtx, false), 1e-12, 1e-15)
        .getSolver().solve(new Array2DRowRealMatrix(xty, false));

    float[] out = t.clone();
    for (int i = 1; i <= n; i++) {
      if (trainCounts[i] > 0) continue;
      for (int c = 0; c < d; c++) {
        double v = w.getEntry(h, c);
        for (int k = 0; k < h; k++) v += e[i * h + k] * w.getEntry(k, c);
        out[i * d + c] = (float) v;
      }
    }
    return new Tensor(out, table.shape());
  }

  /** Occurrences of each item in the training sequences. */
  public static int[] trainCounts(int[][] trainSequences, int numItems) {
    int[] counts = new int[numItems + 1];
    for (int[] s : trainSequences) for (int item : s) counts[item]++;
    return counts;
  }
}
