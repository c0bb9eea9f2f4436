package org.lmrec.enhance.p2rec;

/**
 * Every user's prior preference distribution g_u over the latent categories: the normalised count
 * of the user's (training) items per category. A user without items gets an all-zero row and is
 * left out of fine-tuning ({@link #hasItems}).
 */
public final class PreferencePriors {
  private final float[][] distribution;

  private PreferencePriors(float[][] distribution) {
    this.distribution = distribution;
  }

  public static PreferencePriors of(int[][] sequences, LatentCategories categories) {
    int k = categories.k();
    float[][] g = new float[sequences.length][k];
    for (int u = 0; u < sequences.length; u++) {
      int n = 0;
      for (int item : sequences[u]) {
        if (item <= 0 || item > categories.numItems()) {
          throw new IllegalArgumentException("user " + u + " has item index " + item + " outside 1.." + categories.numItems());
        }
        g[u][categories.categoryOfItem()[item]]++;
        n++;
      }
      if (n > 0) for (int c = 0; c < k; c++) g[u][c] /= n;
    }
    return new PreferencePriors(g);
  }

  public int numUsers() {
    return distribution.length;
  }

  public int k() {
    return distribution.length == 0 ? 0 : distribution[0].length;
  }

  public float[] of(int user) {
    return distribution[user];
  }

  public boolean hasItems(int user) {
    for (float v : distribution[user]) if (v > 0) return true;
    return false;
  }

  /** {@code [users, k]} row-major, for the artifact. */
  public org.lmrec.tensor.Tensor toTensor() {
    int k = k();
    float[] flat = new float[distribution.length * k];
    for (int u = 0; u < distribution.length; u++) System.arraycopy(distribution[u], 0, flat, u * k, k);
    return new org.lmrec.tensor.Tensor(flat, distribution.length, k);
  }
}
