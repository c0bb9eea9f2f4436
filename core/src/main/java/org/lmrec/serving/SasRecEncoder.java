package org.lmrec.serving;

import java.util.Arrays;
import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.TensorMap;

/**
 * SASRec's forward pass in plain Java, reading the weights the DJL model exports (see
 * {@code SasRecNetwork} for the architecture). Only the real positions of a history are computed,
 * and in the last block only the newest position, since that is the one that gets scored.
 *
 * <p>{@link #encode} is the straightforward one-history reference. {@link #encodeBatch} stacks
 * all positions of all histories into one matrix so every projection is a single matrix product
 * on the {@link DenseKernel} (the Vector API one when the module is loaded); attention stays per
 * history, over that history's own positions.
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
  private final DenseKernel kernel;
  /**
   * Each thread's work buffers for {@link #encodeBatch}, kept between calls: fresh megabytes per
   * call cost more in page faults and cache misses than the matrix products themselves. (A
   * workspace holds no reference back to the encoder, so a replaced model is still collected.)
   */
  private final ThreadLocal<Workspace> workspaces;

  private record Block(
      float[] g1, float[] b1, float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo, float[] bo,
      float[] g2, float[] b2, float[] w1, float[] c1, float[] w2, float[] c2) {}

  /** An encoder whose batches run on {@link ItemCatalogue.Kernel#fromSystemProperty()}. */
  public SasRecEncoder(ModelConfig config, TensorMap w) {
    this(config, w, ItemCatalogue.Kernel.fromSystemProperty());
  }

  /** @param kernel the kernel {@link #encodeBatch} runs on ({@link #encode} always uses plain loops) */
  public SasRecEncoder(ModelConfig config, TensorMap w, ItemCatalogue.Kernel kernel) {
    this.kernel = DenseKernel.of(kernel);
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
    int dim = d, h = heads, len = maxLen;
    this.workspaces = ThreadLocal.withInitial(() -> new Workspace(dim, h, len, Math.max(len, BatchChunks.ROW_FLOATS / dim)));
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

  @Override
  public float[][] encodeBatch(int[][] histories) {
    int[] length = BatchChunks.windowLengths(histories, maxLen);
    float[][] out = new float[histories.length][];
    if (histories.length == 0) return out;
    BatchPass pass = new BatchPass(workspaces.get());
    for (int from = 0; from < histories.length; ) {
      int to = BatchChunks.fill(length, from, pass.capacity);
      pass.encode(histories, length, from, to, out);
      from = to;
    }
    return out;
  }

  /**
   * Work buffers for encoding a chunk of a batch (at most {@code capacity} positions), reused
   * from chunk to chunk and call to call. The positions of all histories of the chunk are stacked
   * as rows of [rows, d] matrices; the last block works on [histories, d] matrices holding each
   * history's newest position.
   */
  private static final class Workspace {
    /** Key counts are padded to this (two of the widest vectors) so the score products need no masked tail. */
    static final int KEY_PAD = 32;
    /** Queries per attention product: the kernel's row block. */
    static final int QUERY_BLOCK = 4;

    final int capacity;
    final int keyStride;
    final float[] x;
    final float[] k;
    final float[] v;
    final float[] q;
    final float[] qp;
    final float[] m;
    final float[] f;
    final float[] hid;
    final float[] newest;
    final float[] keysT;
    final float[] scores;

    Workspace(int d, int heads, int maxLen, int capacity) {
      this.capacity = capacity;
      this.keyStride = (maxLen + KEY_PAD - 1) / KEY_PAD * KEY_PAD;
      this.x = new float[capacity * d];
      this.k = new float[capacity * d];
      this.v = new float[capacity * d];
      this.q = new float[capacity * d];
      this.qp = new float[capacity * d];
      this.m = new float[capacity * d];
      this.f = new float[capacity * d];
      this.hid = new float[capacity * d];
      this.newest = new float[capacity * d];
      this.keysT = new float[d / heads * keyStride];
      this.scores = new float[QUERY_BLOCK * keyStride];
    }
  }

  /** One {@link #encodeBatch} call over a workspace; history u of the current chunk is on rows [first[u], first[u] + length[u]). */
  private final class BatchPass {
    private static final int QUERY_BLOCK = Workspace.QUERY_BLOCK;
    private static final int KEY_PAD = Workspace.KEY_PAD;

    private final int capacity;
    private final int keyStride;
    private final int dh = d / heads;
    private final float invSqrtDh = (float) (1.0 / Math.sqrt(d / heads));
    private final float[] x;
    private final float[] k;
    private final float[] v;
    private final float[] q;
    private final float[] qp;
    private final float[] m;
    private final float[] f;
    private final float[] hid;
    private final float[] newest;
    private final float[] keysT;
    private final float[] scores;
    /** The chunk being encoded: its histories' window lengths and first rows. */
    private int batch;
    private int[] length;
    private int[] first;
    private int rows;

    BatchPass(Workspace w) {
      this.capacity = w.capacity;
      this.keyStride = w.keyStride;
      this.x = w.x;
      this.k = w.k;
      this.v = w.v;
      this.q = w.q;
      this.qp = w.qp;
      this.m = w.m;
      this.f = w.f;
      this.hid = w.hid;
      this.newest = w.newest;
      this.keysT = w.keysT;
      this.scores = w.scores;
    }

    /** Encodes histories [from, to) (at most {@link #capacity} positions in all) into out. */
    void encode(int[][] histories, int[] windows, int from, int to, float[][] out) {
      batch = to - from;
      length = Arrays.copyOfRange(windows, from, to);
      first = new int[batch];
      rows = 0;
      for (int u = 0; u < batch; u++) {
        first[u] = rows;
        rows += length[u];
      }
      embed(histories, from);
      for (int bi = 0; bi < blocks.length - 1; bi++) fullBlock(blocks[bi]);
      lastBlock(blocks[blocks.length - 1]);
      for (int u = 0; u < batch; u++) {
        out[from + u] = new float[d];
        kernel.layerNorm(newest, u * d, 1, d, finalGamma, finalBeta, EPS, out[from + u], 0);
      }
    }

    private void embed(int[][] histories, int from) {
      float scale = (float) Math.sqrt(d);
      for (int u = 0; u < batch; u++) {
        int[] history = histories[from + u];
        int n = length[u];
        int skip = history.length - n;
        for (int j = 0; j < n; j++) {
          int item = history[skip + j];
          int pos = maxLen - n + j + 1; // the newest item always sits at position maxLen
          int row = (first[u] + j) * d;
          for (int c = 0; c < d; c++) x[row + c] = items[item * d + c] * scale + positions[pos * d + c];
        }
      }
    }

    /** A block over every position; its output replaces x. */
    private void fullBlock(Block b) {
      keysAndValues(b);
      kernel.layerNorm(x, 0, rows, d, b.g1, b.b1, EPS, q, 0);
      linear(q, rows, b.wq, b.bq, qp);
      for (int u = 0; u < batch; u++) attend(u, first[u], 0);
      feedForward(b, rows, x);
    }

    /** The last block: keys and values over every position, the rest for each newest position only (into newest). */
    private void lastBlock(Block b) {
      keysAndValues(b);
      for (int u = 0; u < batch; u++) System.arraycopy(x, (first[u] + length[u] - 1) * d, newest, u * d, d);
      kernel.layerNorm(newest, 0, batch, d, b.g1, b.b1, EPS, q, 0);
      linear(q, batch, b.wq, b.bq, qp);
      for (int u = 0; u < batch; u++) attend(u, u, length[u] - 1);
      feedForward(b, batch, newest);
    }

    private void keysAndValues(Block b) {
      linear(x, rows, b.wk, b.bk, k);
      linear(x, rows, b.wv, b.bv, v);
    }

    private void linear(float[] in, int count, float[] w, float[] bias, float[] out) {
      kernel.multiply(in, 0, d, count, d, w, 0, d, d, bias, out, 0, d);
    }

    /**
     * Causal attention of history u for its positions [from, n), whose projected queries are in qp
     * and whose merged heads go to m, both from row {@code row}; keys and values are the history's
     * own rows of k and v.
     */
    private void attend(int u, int row, int from) {
      int n = length[u];
      int kv = first[u];
      for (int h = 0; h < heads; h++) {
        int ho = h * dh;
        for (int s = 0; s < n; s++) {
          for (int c = 0; c < dh; c++) keysT[c * keyStride + s] = k[(kv + s) * d + ho + c];
        }
        for (int t0 = from; t0 < n; t0 += QUERY_BLOCK) {
          int count = Math.min(QUERY_BLOCK, n - t0);
          int keys = t0 + count; // causal: this block's queries see positions [0, keys)
          int cols = Math.min(keyStride, (keys + KEY_PAD - 1) / KEY_PAD * KEY_PAD);
          int qRow = (row + t0 - from) * d + ho;
          kernel.multiply(qp, qRow, d, count, dh, keysT, 0, keyStride, cols, null, scores, 0, keyStride);
          for (int j = 0; j < count; j++) softmax(j * keyStride, t0 + j, keys);
          kernel.multiply(scores, 0, keyStride, count, keys, v, kv * d + ho, d, dh, null, m, qRow, d);
        }
      }
    }

    /** Scores of query t (at {@code off}) into attention weights over positions [0, t]; zero up to {@code keys}. */
    private void softmax(int off, int t, int keys) {
      kernel.softmax(scores, off, t + 1, invSqrtDh);
      for (int s = t + 1; s < keys; s++) scores[off + s] = 0f;
    }

    /**
     * Output projection, residual from the normalised query (in q), layer norm, and the
     * feed-forward layer with its residual, for {@code count} rows of m; the result goes to out.
     */
    private void feedForward(Block b, int count, float[] out) {
      int size = count * d;
      linear(m, count, b.wo, b.bo, f);
      for (int i = 0; i < size; i++) f[i] += q[i];
      kernel.layerNorm(f, 0, count, d, b.g2, b.b2, EPS, f, 0);
      linear(f, count, b.w1, b.c1, hid);
      for (int i = 0; i < size; i++) hid[i] = Math.max(0f, hid[i]);
      linear(hid, count, b.w2, b.c2, m); // m is free again: it holds the second layer's output
      for (int i = 0; i < size; i++) out[i] = f[i] + m[i];
    }
  }
}
