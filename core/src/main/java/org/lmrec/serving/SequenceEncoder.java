package org.lmrec.serving;

/**
 * Turns a user's chronological item history into the vector that is scored against every item.
 * Pure Java, no DJL: it runs inside Flink operators and replay jobs. Implementations are
 * immutable and thread-safe.
 */
public interface SequenceEncoder {
  int dim();

  /** Longest history the model reads; older items are ignored. */
  int maxLen();

  /**
   * @param history item indices in 1..numItems, oldest first, not empty (unknown items removed)
   */
  float[] encode(int[] history);

  /**
   * Encodes a micro-batch: {@code encodeBatch(h)[u]} equals {@code encode(h[u])} up to float
   * rounding. Implementations override it to share each weight load across the whole batch, which
   * is far faster than encoding the histories one by one.
   *
   * @param histories each as for {@link #encode}: oldest first, not empty
   * @return one vector per history, in order
   */
  default float[][] encodeBatch(int[][] histories) {
    float[][] out = new float[histories.length][];
    for (int u = 0; u < histories.length; u++) out[u] = encode(histories[u]);
    return out;
  }
}
