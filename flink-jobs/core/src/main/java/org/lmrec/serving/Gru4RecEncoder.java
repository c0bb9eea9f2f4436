package org.lmrec.serving;

import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.TensorMap;

/**
 * GRU4Rec's forward pass in plain Java (PyTorch's GRU equations, gates ordered reset, update,
 * new). {@link #step} advances a stored state by one item, which lets a streaming job keep the
 * hidden state per user instead of re-reading the whole history on every event.
 */
public final class Gru4RecEncoder implements SequenceEncoder {
  private final int d;
  private final int hidden;
  private final int layers;
  private final int maxLen;
  private final float[] items;
  private final float[][] wih;
  private final float[][] whh;
  private final float[][] bih;
  private final float[][] bhh;
  private final float[] denseW;
  private final float[] denseB;

  public Gru4RecEncoder(ModelConfig config, TensorMap w) {
    this.d = config.dim();
    this.hidden = config.dim();
    this.layers = config.blocks();
    this.maxLen = config.maxLen();
    WeightShapes shapes = new WeightShapes(w);
    this.items = shapes.matrix("item_embedding", -1, d);
    wih = new float[layers][];
    whh = new float[layers][];
    bih = new float[layers][];
    bhh = new float[layers][];
    for (int l = 0; l < layers; l++) {
      String p = "gru" + l + ".";
      wih[l] = shapes.matrix(p + "w_ih", 3 * hidden, l == 0 ? d : hidden);
      whh[l] = shapes.matrix(p + "w_hh", 3 * hidden, hidden);
      bih[l] = shapes.vector(p + "b_ih", 3 * hidden);
      bhh[l] = shapes.vector(p + "b_hh", 3 * hidden);
    }
    denseW = shapes.matrix("dense.weight", hidden, d);
    denseB = shapes.vector("dense.bias", d);
  }

  @Override
  public int dim() {
    return d;
  }

  @Override
  public int maxLen() {
    return maxLen;
  }

  /** A fresh all-zero state: {@code layers * hidden} floats. */
  public float[] initialState() {
    return new float[layers * hidden];
  }

  /** Advances {@code state} in place by one item. */
  public void step(float[] state, int item) {
    float[] x = new float[d];
    System.arraycopy(items, item * d, x, 0, d);
    float[] gi = new float[3 * hidden];
    float[] gh = new float[3 * hidden];
    float[] h = new float[hidden];
    for (int l = 0; l < layers; l++) {
      System.arraycopy(state, l * hidden, h, 0, hidden);
      DenseMath.linearOutIn(x, wih[l], bih[l], x.length, 3 * hidden, gi);
      DenseMath.linearOutIn(h, whh[l], bhh[l], hidden, 3 * hidden, gh);
      float[] next = new float[hidden];
      for (int j = 0; j < hidden; j++) {
        float r = DenseMath.sigmoid(gi[j] + gh[j]);
        float z = DenseMath.sigmoid(gi[hidden + j] + gh[hidden + j]);
        float nn = (float) Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
        next[j] = (1 - z) * nn + z * h[j];
      }
      System.arraycopy(next, 0, state, l * hidden, hidden);
      x = next;
    }
  }

  /** The scoring vector for a state: the top layer's hidden state through the dense layer. */
  public float[] output(float[] state) {
    float[] out = new float[d];
    DenseMath.linearInOut(state, (layers - 1) * hidden, denseW, denseB, hidden, d, out, 0);
    return out;
  }

  @Override
  public float[] encode(int[] history) {
    int n = Math.min(history.length, maxLen);
    if (n == 0) throw new IllegalArgumentException("cannot encode an empty history");
    float[] state = initialState();
    for (int j = history.length - n; j < history.length; j++) step(state, history[j]);
    return output(state);
  }
}
