package org.lmrec.serving;

/**
 * Plain loops with the very operations, in the very order, of the one-history encoders, so a batch
 * encoded with this kernel is bit-for-bit what {@code encode} gives: the reference for the vector
 * kernel and the fallback when the Vector API module is not loaded.
 */
final class ScalarDenseKernel implements DenseKernel {
  static final ScalarDenseKernel INSTANCE = new ScalarDenseKernel();

  private ScalarDenseKernel() {}

  @Override
  public void multiply(
      float[] x, int xOff, int ldx, int rows, int in, float[] w, int wOff, int ldw, int out, float[] bias,
      float[] y, int yOff, int ldy) {
    for (int r = 0; r < rows; r++) {
      int yr = yOff + r * ldy;
      int xr = xOff + r * ldx;
      for (int o = 0; o < out; o++) y[yr + o] = bias == null ? 0f : bias[o];
      for (int i = 0; i < in; i++) {
        float xi = x[xr + i];
        if (xi == 0f) continue;
        int wr = wOff + i * ldw;
        for (int o = 0; o < out; o++) y[yr + o] += xi * w[wr + o];
      }
    }
  }

  @Override
  public void layerNorm(float[] x, int xOff, int rows, int d, float[] gamma, float[] beta, float eps, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) DenseMath.layerNorm(x, xOff + r * d, d, gamma, beta, eps, y, yOff + r * d);
  }

  @Override
  public void softmax(float[] s, int off, int count, float scale) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + count; i++) {
      s[i] *= scale;
      max = Math.max(max, s[i]);
    }
    double sum = 0;
    for (int i = off; i < off + count; i++) {
      s[i] = (float) Math.exp(s[i] - max);
      sum += s[i];
    }
    for (int i = off; i < off + count; i++) s[i] = (float) (s[i] / sum);
  }

  @Override
  public void gruGates(float[] gi, int giOff, float[] gh, float[] h, int rows, int hidden) {
    int g = 3 * hidden;
    for (int row = 0; row < rows; row++) {
      int i = giOff + row * g;
      int k = row * g;
      int s = row * hidden;
      for (int j = 0; j < hidden; j++) {
        float r = DenseMath.sigmoid(gi[i + j] + gh[k + j]);
        float z = DenseMath.sigmoid(gi[i + hidden + j] + gh[k + hidden + j]);
        float n = (float) Math.tanh(gi[i + 2 * hidden + j] + r * gh[k + 2 * hidden + j]);
        h[s + j] = (1 - z) * n + z * h[s + j];
      }
    }
  }
}
