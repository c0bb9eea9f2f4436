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
}
