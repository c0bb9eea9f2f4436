package org.lmrec.serving;

/**
 * The item table [numItems + 1, d] (row 0 = padding) and the product that scores a batch of user
 * vectors against every item at once, so the table is streamed through the cache once per batch
 * rather than once per user.
 */
public final class ItemCatalogue {
  private static final int USER_BLOCK = 8;

  private final float[] table;
  private final int numItems;
  private final int dim;

  public ItemCatalogue(float[] table, int numItems, int dim) {
    if (table.length != (numItems + 1) * dim) {
      throw new IllegalArgumentException(
          "item table has " + table.length + " values, expected (numItems + 1) * dim = " + (numItems + 1) * dim);
    }
    this.table = table;
    this.numItems = numItems;
    this.dim = dim;
  }

  public int numItems() {
    return numItems;
  }

  public int dim() {
    return dim;
  }

  /** Scores [users.length][numItems + 1]; column 0 is set to negative infinity. */
  public float[][] scores(float[][] users) {
    float[][] out = new float[users.length][numItems + 1];
    for (int start = 0; start < users.length; start += USER_BLOCK) {
      int end = Math.min(users.length, start + USER_BLOCK);
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
    for (float[] row : out) row[0] = Float.NEGATIVE_INFINITY;
    return out;
  }
}
