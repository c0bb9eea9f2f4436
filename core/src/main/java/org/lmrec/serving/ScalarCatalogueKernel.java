package org.lmrec.serving;

/**
 * The plain-loop product over the row-major table [numItems + 1, d]: the reference the vector
 * kernel is tested against, and the fallback when the Vector API module is not loaded.
 */
final class ScalarCatalogueKernel implements CatalogueKernel {
  // A block of users shares each item row while it is in L1.
  private static final int USER_BLOCK = 8;

  private final float[] table;
  private final int numItems;
  private final int dim;

  ScalarCatalogueKernel(float[] table, int numItems, int dim) {
    this.table = table;
    this.numItems = numItems;
    this.dim = dim;
  }

  @Override
  public void score(float[][] users, int count, float[][] out) {
    for (int start = 0; start < count; start += USER_BLOCK) {
      int end = Math.min(count, start + USER_BLOCK);
      for (int item = 1; item <= numItems; item++) {
        int row = item * dim;
        for (int u = start; u < end; u++) {
          float[] x = users[u];
          float s = 0;
          for (int c = 0; c < dim; c++) s += x[c] * table[row + c];
          out[u][item] = s;
        }
      }
    }
    for (int u = 0; u < count; u++) out[u][0] = Float.NEGATIVE_INFINITY;
  }
}
