package org.lmrec.serving;

/** The few dense kernels the pure-Java encoders need; row-major float arrays throughout. */
final class DenseMath {
  private DenseMath() {}

  /** y = x · W + b with W stored [in, out] (the layout the DJL models export for linear layers). */
  static void linearInOut(float[] x, int xOff, float[] w, float[] b, int in, int out, float[] y, int yOff) {
    for (int o = 0; o < out; o++) y[yOff + o] = b[o];
    for (int i = 0; i < in; i++) {
      float xi = x[xOff + i];
      if (xi == 0f) continue;
      int row = i * out;
      for (int o = 0; o < out; o++) y[yOff + o] += xi * w[row + o];
    }
  }

  /** y = W · x + b with W stored [out, in] (PyTorch's layout, used for the GRU gates). */
  static void linearOutIn(float[] x, float[] w, float[] b, int in, int out, float[] y) {
    for (int o = 0; o < out; o++) {
      float s = b[o];
      int row = o * in;
      for (int i = 0; i < in; i++) s += w[row + i] * x[i];
      y[o] = s;
    }
  }

  /** Layer normalisation of x[off, off+d) into y (biased variance, as PyTorch). */
  static void layerNorm(float[] x, int off, int d, float[] gamma, float[] beta, float eps, float[] y, int yOff) {
    double mean = 0;
    for (int i = 0; i < d; i++) mean += x[off + i];
    mean /= d;
    double var = 0;
    for (int i = 0; i < d; i++) {
      double c = x[off + i] - mean;
      var += c * c;
    }
    var /= d;
    float inv = (float) (1.0 / Math.sqrt(var + eps));
    for (int i = 0; i < d; i++) y[yOff + i] = (float) ((x[off + i] - mean) * inv) * gamma[i] + beta[i];
  }

  static float sigmoid(float v) {
    return (float) (1.0 / (1.0 + Math.exp(-v)));
  }
}
