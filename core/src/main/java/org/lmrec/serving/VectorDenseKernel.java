package org.lmrec.serving;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The encoders' dense operations on the JDK Vector API.
 *
 * <p>The product is a register-blocked GEMM over W stored [in, out]: for each input coordinate i
 * it loads a chunk of W's row i (up to four vectors) and does a broadcast-FMA into the accumulators
 * of four rows of x, so every W load feeds four rows and the (up to) 16 accumulator chains hide the
 * FMA latency. Column chunks are walked outermost so the W panel in use stays in L1 while all rows pass.
 * Each output is still summed over i in order (one fused multiply-add per step), so a row's result
 * does not depend on which other rows share its batch.
 */
final class VectorDenseKernel implements DenseKernel {
  static final VectorDenseKernel INSTANCE = new VectorDenseKernel();

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorDenseKernel() {}

  @Override
  public void multiply(
      float[] x, int xOff, int ldx, int rows, int in, float[] w, int wOff, int ldw, int out, float[] bias,
      float[] y, int yOff, int ldy) {
    int o = 0;
    for (; o + 4 * L <= out; o += 4 * L) {
      for (int r = 0; r < rows; r += 4) {
        int r1 = Math.min(r + 1, rows - 1), r2 = Math.min(r + 2, rows - 1), r3 = Math.min(r + 3, rows - 1);
        rows4Cols4(
            x, xOff + r * ldx, xOff + r1 * ldx, xOff + r2 * ldx, xOff + r3 * ldx, in, w, wOff + o, ldw, bias, o,
            y, yOff + r * ldy + o, yOff + r1 * ldy + o, yOff + r2 * ldy + o, yOff + r3 * ldy + o);
      }
    }
    for (; o + 2 * L <= out; o += 2 * L) {
      for (int r = 0; r < rows; r += 4) {
        int r1 = Math.min(r + 1, rows - 1), r2 = Math.min(r + 2, rows - 1), r3 = Math.min(r + 3, rows - 1);
        rows4Cols2(
            x, xOff + r * ldx, xOff + r1 * ldx, xOff + r2 * ldx, xOff + r3 * ldx, in, w, wOff + o, ldw, bias, o,
            y, yOff + r * ldy + o, yOff + r1 * ldy + o, yOff + r2 * ldy + o, yOff + r3 * ldy + o);
      }
    }
    for (; o < out; o += L) {
      VectorMask<Float> m = S.indexInRange(o, out);
      for (int r = 0; r < rows; r += 4) {
        int r1 = Math.min(r + 1, rows - 1), r2 = Math.min(r + 2, rows - 1), r3 = Math.min(r + 3, rows - 1);
        rows4Cols1(
            x, xOff + r * ldx, xOff + r1 * ldx, xOff + r2 * ldx, xOff + r3 * ldx, in, w, wOff + o, ldw, bias, o,
            y, yOff + r * ldy + o, yOff + r1 * ldy + o, yOff + r2 * ldy + o, yOff + r3 * ldy + o, m);
      }
    }
  }

  private static FloatVector start(float[] bias, int o) {
    return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, o);
  }

  private static FloatVector start(float[] bias, int o, VectorMask<Float> m) {
    return bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, o, m);
  }

  /*
   * The micro-kernels take four row offsets each. A block with fewer than four rows repeats its last
   * row: it computes (and stores) that row again, identically, rather than calling a separate
   * one-row kernel. That keeps three kernels in total, each called often enough to be compiled by C2
   * early; a rarely called Vector API method runs in C1 code that boxes every vector, a hundred
   * times slower, for seconds after start-up.
   */

  private static void rows4Cols4(
      float[] x, int x0, int x1, int x2, int x3, int in, float[] w, int wo, int ldw, float[] bias, int bo,
      float[] y, int y0, int y1, int y2, int y3) {
    FloatVector b0 = start(bias, bo), b1 = start(bias, bo + L), b2 = start(bias, bo + 2 * L), b3 = start(bias, bo + 3 * L);
    FloatVector c00 = b0, c01 = b1, c02 = b2, c03 = b3;
    FloatVector c10 = b0, c11 = b1, c12 = b2, c13 = b3;
    FloatVector c20 = b0, c21 = b1, c22 = b2, c23 = b3;
    FloatVector c30 = b0, c31 = b1, c32 = b2, c33 = b3;
    for (int i = 0; i < in; i++) {
      int wr = wo + i * ldw;
      FloatVector w0 = FloatVector.fromArray(S, w, wr);
      FloatVector w1 = FloatVector.fromArray(S, w, wr + L);
      FloatVector w2 = FloatVector.fromArray(S, w, wr + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wr + 3 * L);
      FloatVector a = FloatVector.broadcast(S, x[x0 + i]);
      c00 = w0.fma(a, c00);
      c01 = w1.fma(a, c01);
      c02 = w2.fma(a, c02);
      c03 = w3.fma(a, c03);
      a = FloatVector.broadcast(S, x[x1 + i]);
      c10 = w0.fma(a, c10);
      c11 = w1.fma(a, c11);
      c12 = w2.fma(a, c12);
      c13 = w3.fma(a, c13);
      a = FloatVector.broadcast(S, x[x2 + i]);
      c20 = w0.fma(a, c20);
      c21 = w1.fma(a, c21);
      c22 = w2.fma(a, c22);
      c23 = w3.fma(a, c23);
      a = FloatVector.broadcast(S, x[x3 + i]);
      c30 = w0.fma(a, c30);
      c31 = w1.fma(a, c31);
      c32 = w2.fma(a, c32);
      c33 = w3.fma(a, c33);
    }
    c00.intoArray(y, y0);
    c01.intoArray(y, y0 + L);
    c02.intoArray(y, y0 + 2 * L);
    c03.intoArray(y, y0 + 3 * L);
    c10.intoArray(y, y1);
    c11.intoArray(y, y1 + L);
    c12.intoArray(y, y1 + 2 * L);
    c13.intoArray(y, y1 + 3 * L);
    c20.intoArray(y, y2);
    c21.intoArray(y, y2 + L);
    c22.intoArray(y, y2 + 2 * L);
    c23.intoArray(y, y2 + 3 * L);
    c30.intoArray(y, y3);
    c31.intoArray(y, y3 + L);
    c32.intoArray(y, y3 + 2 * L);
    c33.intoArray(y, y3 + 3 * L);
  }

  private static void rows4Cols2(
      float[] x, int x0, int x1, int x2, int x3, int in, float[] w, int wo, int ldw, float[] bias, int bo,
      float[] y, int y0, int y1, int y2, int y3) {
    FloatVector b0 = start(bias, bo), b1 = start(bias, bo + L);
    FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
    for (int i = 0; i < in; i++) {
      int wr = wo + i * ldw;
      FloatVector w0 = FloatVector.fromArray(S, w, wr);
      FloatVector w1 = FloatVector.fromArray(S, w, wr + L);
      FloatVector a = FloatVector.broadcast(S, x[x0 + i]);
      c00 = w0.fma(a, c00);
      c01 = w1.fma(a, c01);
      a = FloatVector.broadcast(S, x[x1 + i]);
      c10 = w0.fma(a, c10);
      c11 = w1.fma(a, c11);
      a = FloatVector.broadcast(S, x[x2 + i]);
      c20 = w0.fma(a, c20);
      c21 = w1.fma(a, c21);
      a = FloatVector.broadcast(S, x[x3 + i]);
      c30 = w0.fma(a, c30);
      c31 = w1.fma(a, c31);
    }
    c00.intoArray(y, y0);
    c01.intoArray(y, y0 + L);
    c10.intoArray(y, y1);
    c11.intoArray(y, y1 + L);
    c20.intoArray(y, y2);
    c21.intoArray(y, y2 + L);
    c30.intoArray(y, y3);
    c31.intoArray(y, y3 + L);
  }

  /** One vector of columns, masked: the last chunk of an output width that is not a multiple of two vectors. */
  private static void rows4Cols1(
      float[] x, int x0, int x1, int x2, int x3, int in, float[] w, int wo, int ldw, float[] bias, int bo,
      float[] y, int y0, int y1, int y2, int y3, VectorMask<Float> m) {
    FloatVector b = start(bias, bo, m);
    FloatVector c0 = b, c1 = b, c2 = b, c3 = b;
    for (int i = 0; i < in; i++) {
      FloatVector w0 = FloatVector.fromArray(S, w, wo + i * ldw, m);
      c0 = w0.fma(FloatVector.broadcast(S, x[x0 + i]), c0);
      c1 = w0.fma(FloatVector.broadcast(S, x[x1 + i]), c1);
      c2 = w0.fma(FloatVector.broadcast(S, x[x2 + i]), c2);
      c3 = w0.fma(FloatVector.broadcast(S, x[x3 + i]), c3);
    }
    c0.intoArray(y, y0, m);
    c1.intoArray(y, y1, m);
    c2.intoArray(y, y2, m);
    c3.intoArray(y, y3, m);
  }

  @Override
  public void layerNorm(float[] x, int xOff, int rows, int d, float[] gamma, float[] beta, float eps, float[] y, int yOff) {
    int bound = S.loopBound(d);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * d;
      int yr = yOff + r * d;
      FloatVector acc = FloatVector.zero(S);
      int i = 0;
      for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, xr + i));
      float sum = acc.reduceLanes(VectorOperators.ADD);
      for (; i < d; i++) sum += x[xr + i];
      float mean = sum / d;
      FloatVector mv = FloatVector.broadcast(S, mean);
      acc = FloatVector.zero(S);
      for (i = 0; i < bound; i += L) {
        FloatVector c = FloatVector.fromArray(S, x, xr + i).sub(mv);
        acc = c.fma(c, acc);
      }
      float sq = acc.reduceLanes(VectorOperators.ADD);
      for (; i < d; i++) sq += (x[xr + i] - mean) * (x[xr + i] - mean);
      float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
      for (i = 0; i < bound; i += L) {
        FloatVector c = FloatVector.fromArray(S, x, xr + i).sub(mv).mul(inv);
        c.fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i)).intoArray(y, yr + i);
      }
      for (; i < d; i++) y[yr + i] = (x[xr + i] - mean) * inv * gamma[i] + beta[i];
    }
  }

  @Override
  public void softmax(float[] s, int off, int count, float scale) {
    int bound = S.loopBound(count);
    FloatVector maxes = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, s, off + i).mul(scale);
      v.intoArray(s, off + i);
      maxes = maxes.max(v);
    }
    float max = maxes.reduceLanes(VectorOperators.MAX);
    for (; i < count; i++) {
      s[off + i] *= scale;
      max = Math.max(max, s[off + i]);
    }
    FloatVector sums = FloatVector.zero(S);
    FloatVector mv = FloatVector.broadcast(S, max);
    for (i = 0; i < bound; i += L) {
      FloatVector e = FloatVector.fromArray(S, s, off + i).sub(mv).lanewise(VectorOperators.EXP);
      e.intoArray(s, off + i);
      sums = sums.add(e);
    }
    float sum = sums.reduceLanes(VectorOperators.ADD);
    for (; i < count; i++) {
      s[off + i] = (float) Math.exp(s[off + i] - max);
      sum += s[off + i];
    }
    float inv = 1f / sum;
    for (i = 0; i < bound; i += L) FloatVector.fromArray(S, s, off + i).mul(inv).intoArray(s, off + i);
    for (; i < count; i++) s[off + i] *= inv;
  }

  @Override
  public void gruGates(float[] gi, int giOff, float[] gh, float[] h, int rows, int hidden) {
    int g = 3 * hidden;
    int bound = S.loopBound(hidden);
    for (int row = 0; row < rows; row++) {
      int i = giOff + row * g;
      int k = row * g;
      int s = row * hidden;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector r = sigmoid(FloatVector.fromArray(S, gi, i + j).add(FloatVector.fromArray(S, gh, k + j)));
        FloatVector z =
            sigmoid(FloatVector.fromArray(S, gi, i + hidden + j).add(FloatVector.fromArray(S, gh, k + hidden + j)));
        FloatVector n =
            FloatVector.fromArray(S, gh, k + 2 * hidden + j)
                .fma(r, FloatVector.fromArray(S, gi, i + 2 * hidden + j))
                .lanewise(VectorOperators.TANH);
        FloatVector prev = FloatVector.fromArray(S, h, s + j);
        // (1 - z) * n + z * h, as n + z * (h - n): one rounding less, same value
        prev.sub(n).fma(z, n).intoArray(h, s + j);
      }
      for (; j < hidden; j++) {
        float r = DenseMath.sigmoid(gi[i + j] + gh[k + j]);
        float z = DenseMath.sigmoid(gi[i + hidden + j] + gh[k + hidden + j]);
        float n = (float) Math.tanh(gi[i + 2 * hidden + j] + r * gh[k + 2 * hidden + j]);
        h[s + j] = (1 - z) * n + z * h[s + j];
      }
    }
  }

  private static FloatVector sigmoid(FloatVector v) {
    return FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
  }
}
