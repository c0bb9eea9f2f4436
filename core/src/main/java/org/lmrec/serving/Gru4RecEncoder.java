package org.lmrec.serving;

import java.util.Arrays;
import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.TensorMap;

/**
 * GRU4Rec's forward pass in plain Java (PyTorch's GRU equations, gates ordered reset, update,
 * new). {@link #step} advances a stored state by one item, which lets a streaming job keep the
 * hidden state per user instead of re-reading the whole history on every event.
 *
 * <p>{@link #encode} and {@link #step} are the one-history reference. {@link #encodeBatch}
 * advances all histories of a batch together, one time step at a time, with the gate products as
 * matrix products over the batch on the {@link DenseKernel}.
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
  /** w_ih and w_hh transposed to [in, 3 * hidden], the layout the batched products read. */
  private final float[][] wihT;
  private final float[][] whhT;
  private final DenseKernel kernel;
  /**
   * Each thread's work buffers for the batched paths, kept between calls: fresh ones cost page
   * faults and cache misses. (They hold no reference back to the encoder, so a replaced model is
   * still collected.)
   */
  private final ThreadLocal<Buffers> buffers;

  /** An encoder whose batches run on {@link ItemCatalogue.Kernel#fromSystemProperty()}. */
  public Gru4RecEncoder(ModelConfig config, TensorMap w) {
    this(config, w, ItemCatalogue.Kernel.fromSystemProperty());
  }

  /** @param kernel the kernel {@link #encodeBatch} runs on ({@link #encode} and {@link #step} use plain loops) */
  public Gru4RecEncoder(ModelConfig config, TensorMap w, ItemCatalogue.Kernel kernel) {
    this.kernel = DenseKernel.of(kernel);
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
    wihT = new float[layers][];
    whhT = new float[layers][];
    for (int l = 0; l < layers; l++) {
      wihT[l] = transpose(wih[l], 3 * hidden, l == 0 ? d : hidden);
      whhT[l] = transpose(whh[l], 3 * hidden, hidden);
    }
    denseW = shapes.matrix("dense.weight", hidden, d);
    denseB = shapes.vector("dense.bias", d);
    int dim = d, width = hidden, depth = layers;
    buffers = ThreadLocal.withInitial(() -> new Buffers(Math.max(1, BatchChunks.ROW_FLOATS / (3 * width)), dim, width, depth));
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

  @Override
  public float[][] encodeBatch(int[][] histories) {
    int[] length = BatchChunks.windowLengths(histories, maxLen);
    float[][] out = new float[histories.length][];
    if (histories.length == 0) return out;
    // Longest first: within a chunk, the histories still reading at step t are then its first rows.
    int[] order = longestFirst(length);
    Buffers buffers = this.buffers.get();
    for (int from = 0; from < order.length; from += buffers.capacity) {
      int count = Math.min(buffers.capacity, order.length - from);
      for (float[] h : buffers.h) Arrays.fill(h, 0, count * hidden, 0f);
      int active = count;
      for (int t = 0; t < length[order[from]]; t++) {
        while (length[order[from + active - 1]] <= t) active--;
        for (int r = 0; r < active; r++) {
          int[] history = histories[order[from + r]];
          int item = history[history.length - length[order[from + r]] + t];
          System.arraycopy(items, item * d, buffers.x, r * d, d);
        }
        advance(buffers, active);
      }
      float[][] vectors = outputs(buffers, count);
      for (int r = 0; r < count; r++) out[order[from + r]] = vectors[r];
    }
    return out;
  }

  /**
   * {@link #step} and {@link #output} for a batch of stored states at once (one new item each),
   * with the gate products as matrix products over the batch: the per-event path of a job that
   * keeps each user's GRU state instead of the history.
   *
   * @param states each {@code layers * hidden} floats, advanced in place
   * @param items the new item of each state
   * @return the output vector of each advanced state
   */
  public float[][] stepBatch(float[][] states, int[] items) {
    if (items.length != states.length) {
      throw new IllegalArgumentException("stepBatch got " + states.length + " states but " + items.length + " items");
    }
    for (int u = 0; u < states.length; u++) {
      if (states[u].length != layers * hidden) {
        throw new IllegalArgumentException(
            "state " + u + " has " + states[u].length + " values, expected layers * hidden = " + layers * hidden);
      }
    }
    float[][] out = new float[states.length][];
    if (states.length == 0) return out;
    Buffers buffers = this.buffers.get();
    for (int from = 0; from < states.length; from += buffers.capacity) {
      int count = Math.min(buffers.capacity, states.length - from);
      for (int r = 0; r < count; r++) {
        System.arraycopy(this.items, items[from + r] * d, buffers.x, r * d, d);
        for (int l = 0; l < layers; l++) System.arraycopy(states[from + r], l * hidden, buffers.h[l], r * hidden, hidden);
      }
      advance(buffers, count);
      for (int r = 0; r < count; r++) {
        for (int l = 0; l < layers; l++) System.arraycopy(buffers.h[l], r * hidden, states[from + r], l * hidden, hidden);
      }
      float[][] vectors = outputs(buffers, count);
      System.arraycopy(vectors, 0, out, from, count);
    }
    return out;
  }

  /**
   * Work buffers for a chunk of users: inputs, gate products, each layer's hidden states, outputs. A
   * chunk holds as many users as keep the gate buffers [chunk, 3 * hidden] at
   * {@link BatchChunks#ROW_FLOATS} floats.
   */
  private static final class Buffers {
    final int capacity;
    final float[] x;
    final float[] gi;
    final float[] gh;
    final float[][] h;
    final float[] dense;

    Buffers(int capacity, int d, int hidden, int layers) {
      this.capacity = capacity;
      x = new float[capacity * d];
      gi = new float[capacity * 3 * hidden];
      gh = new float[capacity * 3 * hidden];
      h = new float[layers][capacity * hidden];
      dense = new float[capacity * d];
    }
  }

  /** One time step for the first {@code rows} users: inputs in {@code b.x}, states in {@code b.h}, advanced in place. */
  private void advance(Buffers b, int rows) {
    int g = 3 * hidden;
    float[] in = b.x;
    int inDim = d;
    for (int l = 0; l < layers; l++) {
      kernel.multiply(in, 0, inDim, rows, inDim, wihT[l], 0, g, g, bih[l], b.gi, 0, g);
      kernel.multiply(b.h[l], 0, hidden, rows, hidden, whhT[l], 0, g, g, bhh[l], b.gh, 0, g);
      kernel.gruGates(b.gi, 0, b.gh, b.h[l], rows, hidden);
      in = b.h[l]; // the next layer reads this layer's new state
      inDim = hidden;
    }
  }

  /** The output vectors of the first {@code rows} users' top-layer states. */
  private float[][] outputs(Buffers b, int rows) {
    kernel.multiply(b.h[layers - 1], 0, hidden, rows, hidden, denseW, 0, d, d, denseB, b.dense, 0, d);
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) out[r] = Arrays.copyOfRange(b.dense, r * d, (r + 1) * d);
    return out;
  }

  /** Indices of the histories by decreasing length; ties keep their order. */
  private static int[] longestFirst(int[] length) {
    Integer[] boxed = new Integer[length.length];
    for (int u = 0; u < length.length; u++) boxed[u] = u;
    Arrays.sort(boxed, (a, b) -> Integer.compare(length[b], length[a]));
    int[] order = new int[length.length];
    for (int u = 0; u < length.length; u++) order[u] = boxed[u];
    return order;
  }

  private static float[] transpose(float[] w, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
    }
    return t;
  }
}
