package org.lmrec.lm;

/**
 * Token ids of a batch of texts, right-padded (pad id 0, mask 0) to the longest row of the batch.
 *
 * @param ids token ids [batch][length]
 * @param attentionMask 1 for real tokens (including [CLS] and [SEP]), 0 for padding
 * @param typeIds segment ids (all 0: single-sequence inputs)
 */
public record TokenBatch(long[][] ids, long[][] attentionMask, long[][] typeIds) {
  public TokenBatch {
    if (ids.length != attentionMask.length || ids.length != typeIds.length) {
      throw new IllegalArgumentException("ids, attention mask and type ids must have the same number of rows");
    }
    int len = ids.length == 0 ? 0 : ids[0].length;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i].length != len || attentionMask[i].length != len || typeIds[i].length != len) {
        throw new IllegalArgumentException("row " + i + " of the token batch is not " + len + " long");
      }
    }
  }

  /** Right-pads rows of ids (each starting with the special prefix and ending with the suffix). */
  static TokenBatch pad(long[][] rows, long padId) {
    int len = 0;
    for (long[] r : rows) len = Math.max(len, r.length);
    long[][] ids = new long[rows.length][len];
    long[][] mask = new long[rows.length][len];
    long[][] types = new long[rows.length][len];
    for (int i = 0; i < rows.length; i++) {
      java.util.Arrays.fill(ids[i], padId);
      System.arraycopy(rows[i], 0, ids[i], 0, rows[i].length);
      java.util.Arrays.fill(mask[i], 0, rows[i].length, 1L);
    }
    return new TokenBatch(ids, mask, types);
  }

  /** Number of rows (texts). */
  public int size() {
    return ids.length;
  }

  /** Padded length (tokens per row). */
  public int length() {
    return ids.length == 0 ? 0 : ids[0].length;
  }

  /** Real (non-pad) tokens of row {@code i}. */
  public int tokens(int i) {
    int n = 0;
    for (long m : attentionMask[i]) n += (int) m;
    return n;
  }

  /** Row-major copy of a [size][length] array, as the engines want it. */
  public static long[] flat(long[][] rows) {
    int len = rows.length == 0 ? 0 : rows[0].length;
    long[] out = new long[rows.length * len];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * len, len);
    return out;
  }
}
