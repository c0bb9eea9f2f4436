package org.lmrec.serving;

/**
 * Splits a batch of histories into chunks for the batched encoders, so that their work buffers
 * stay small whatever the batch size. A buffer over half a G1 heap region (512 KB on heaps up to
 * 4 GB) is a "humongous" object, allocated outside the young generation at a far higher cost and
 * collected late; buffers of {@link #ROW_FLOATS} floats stay well below that and in L2/L3.
 */
final class BatchChunks {
  /** Floats per work buffer of a chunk (256 KB). */
  static final int ROW_FLOATS = 1 << 16;

  private BatchChunks() {}

  /** The number of items each history contributes (its last maxLen); an empty history is refused by its index. */
  static int[] windowLengths(int[][] histories, int maxLen) {
    int[] length = new int[histories.length];
    for (int u = 0; u < histories.length; u++) {
      length[u] = Math.min(histories[u].length, maxLen);
      if (length[u] == 0) throw new IllegalArgumentException("cannot encode an empty history (history " + u + " of the batch)");
    }
    return length;
  }

  /**
   * The end of the chunk starting at {@code from}: as many histories as fit in {@code capacity}
   * positions, and at least one.
   */
  static int fill(int[] length, int from, int capacity) {
    int to = from + 1;
    int rows = length[from];
    while (to < length.length && rows + length[to] <= capacity) rows += length[to++];
    return to;
  }
}
