package org.lmrec.serving;

import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.TensorMap;

/**
 * SASRec's forward pass in plain Java, reading the weights the DJL model exports (see
 * {@code SasRecNetwork} for the architecture). Only the real positions of a history are computed,
 * and in the last block only the newest position, since that is the one that gets scored.
 */
public final class SasRecEncoder implements SequenceEncoder {
  private static final float EPS = 1e-8f;

  private final int d;
  private final int heads;
  private final int maxLen;
  private final float[] items;
  private final float[] positions;
  private final Block[] blocks;
  private final float[] finalGamma;
  private final float[] finalBeta;

  private record Block(
      float[] g1, float[] b1, float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo, float[] bo,
      float[] g2, float[] b2, float[] w1, float[] c1, float[] w2, float[] c2) {}

  public SasRecEncoder(ModelConfig config, TensorMap w) {
    this.d = config.dim();
    this.heads = config.heads();
    this.maxLen = config.maxLen();
    WeightShapes shapes = new WeightShapes(w);
    this.items = shapes.matrix("item_embedding", -1, d);
    this.positions = shapes.matrix("position_embedding", maxLen + 1, d);
    this.blocks = new Block[config.blocks()];
    for (int i = 0; i < blocks.length; i++) {
      String p = "block" + i + ".";
      blocks[i] =
          new Block(
              shapes.vector(p + "attn_norm.gamma", d), shapes.vector(p + "attn_norm.beta", d),
              shapes.matrix(p + "attn.q.weight", d, d), shapes.vector(p + "attn.q.bias", d),
              shapes.matrix(p + "attn.k.weight", d, d), shapes.vector(p + "attn.k.bias", d),
              shapes.matrix(p + "attn.v.weight", d, d), shapes.vector(p + "attn.v.bias", d),
              shapes.matrix(p + "attn.out.weight", d, d), shapes.vector(p + "attn.out.bias", d),
              shapes.vector(p + "ffn_norm.gamma", d), shapes.vector(p + "ffn_norm.beta", d),
              shapes.matrix(p + "ffn.1.weight", d, d), shapes.vector(p + "ffn.1.bias", d),
              shapes.matrix(p + "ffn.2.weight", d, d), shapes.vector(p + "ffn.2.bias", d));
    }
    this.finalGamma = shapes.vector("final_norm.gamma", d);
    this.finalBeta = shapes.vector("final_norm.beta", d);
  }

  @Override
  public int dim() {
    return d;
  }

  @Override
  public int maxLen() {
    return maxLen;
  }

  @Override
  public float[] encode(int[] history) {
    int n = Math.min(history.length, maxLen);
    if (n == 0) throw new IllegalArgumentException("cannot encode an empty history");
    int from = history.length - n;
    float scale = (float) Math.sqrt(d);
    float[] x = new float[n * d];
    for (int j = 0; j < n; j++) {
      int item = history[from + j];
      int pos = maxLen - n + j + 1; // the newest item always sits at position maxLen
      for (int c = 0; c < d; c++) x[j * d + c] = items[item * d + c] * scale + positions[pos * d + c];
    }
    int first = 0;
    for (int bi = 0; bi < blocks.length; bi++) {
      // Later blocks only feed the newest position, so the last block computes just that row.
      first = bi == blocks.length - 1 ? n - 1 : 0;
      x = block(blocks[bi], x, n, first);
    }
    float[] out = new float[d];
    DenseMath.layerNorm(x, (n - 1) * d, d, finalGamma, finalBeta, EPS, out, 0);
    return out;
  }

  /** One attention + feed-forward block over positions [first, n); keys/values use all n. */
  private float[] block(Block b, float[] x, int n, int first) {
    int dh = d / heads;
    float[] q = new float[n * d];
    float[] qp = new float[n * d];
    float[] k = new float[n * d];
    float[] v = new float[n * d];
    for (int t = 0; t < n; t++) {
      DenseMath.linearInOut(x, t * d, b.wk, b.bk, d, d, k, t * d);
      DenseMath.linearInOut(x, t * d, b.wv, b.bv, d, d, v, t * d);
    }
    for (int t = first; t < n; t++) {
      DenseMath.layerNorm(x, t * d, d, b.g1, b.b1, EPS, q, t * d);
      DenseMath.linearInOut(q, t * d, b.wq, b.bq, d, d, qp, t * d);
    }
    float[] merged = new float[d];
    float[] attnOut = new float[d];
    float[] weights = new float[n];
    float[] hidden = new float[d];
    float[] ffn = new float[d];
    float[] f = new float[n * d];
    float[] out = new float[n * d];
    float invSqrt = (float) (1.0 / Math.sqrt(dh));
    for (int t = first; t < n; t++) {
      for (int h = 0; h < heads; h++) {
        int ho = h * dh;
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s <= t; s++) {
          float dot = 0;
          for (int c = 0; c < dh; c++) dot += qp[t * d + ho + c] * k[s * d + ho + c];
          weights[s] = dot * invSqrt;
          max = Math.max(max, weights[s]);
        }
        double sum = 0;
        for (int s = 0; s <= t; s++) {
          weights[s] = (float) Math.exp(weights[s] - max);
          sum += weights[s];
        }
        for (int c = 0; c < dh; c++) merged[ho + c] = 0;
        for (int s = 0; s <= t; s++) {
          float a = (float) (weights[s] / sum);
          for (int c = 0; c < dh; c++) merged[ho + c] += a * v[s * d + ho + c];
        }
      }
      DenseMath.linearInOut(merged, 0, b.wo, b.bo, d, d, attnOut, 0);
      for (int c = 0; c < d; c++) attnOut[c] += q[t * d + c]; // residual from the normalised query
      DenseMath.layerNorm(attnOut, 0, d, b.g2, b.b2, EPS, f, t * d);
      DenseMath.linearInOut(f, t * d, b.w1, b.c1, d, d, hidden, 0);
      for (int c = 0; c < d; c++) hidden[c] = Math.max(0f, hidden[c]);
      DenseMath.linearInOut(hidden, 0, b.w2, b.c2, d, d, ffn, 0);
      for (int c = 0; c < d; c++) out[t * d + c] = f[t * d + c] + ffn[c];
    }
    return out;
  }
}
