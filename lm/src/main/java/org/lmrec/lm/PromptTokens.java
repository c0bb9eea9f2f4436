package org.lmrec.lm;

import java.util.List;

/**
 * Tokens of two-part prompts within a budget: {@code [CLS] context items [SEP]}, where the second
 * part (for the yes/no ranker: the recent items and the candidate) is kept whole when it fits, else
 * its end, and the first part (instruction and profile) gets the tokens left, from its start. So a
 * long summary is cut before the candidate ever is. Both the trainable LM and ONNX Runtime read
 * prompts through here, so they see the same ids.
 */
public final class PromptTokens {
  private PromptTokens() {}

  /** Unpadded rows, one per prompt. */
  public static long[][] rows(LmTokenizer tokenizer, List<String> contexts, List<String> items, int maxTokens) {
    if (contexts.size() != items.size()) throw new IllegalArgumentException(contexts.size() + " contexts but " + items.size() + " item parts");
    long[] prefix = tokenizer.prefixIds();
    long[] suffix = tokenizer.suffixIds();
    int budget = maxTokens - prefix.length - suffix.length;
    if (budget < 2) throw new IllegalArgumentException("maxTokens " + maxTokens + " leaves no room for a prompt");
    long[][] ctx = tokenizer.rawRows(contexts);
    long[][] tail = tokenizer.rawRows(items);
    long[][] rows = new long[ctx.length][];
    for (int i = 0; i < rows.length; i++) {
      int nTail = Math.min(budget, tail[i].length);
      int nCtx = Math.min(budget - nTail, ctx[i].length);
      long[] row = new long[prefix.length + nCtx + nTail + suffix.length];
      int at = 0;
      System.arraycopy(prefix, 0, row, at, prefix.length);
      at += prefix.length;
      System.arraycopy(ctx[i], 0, row, at, nCtx);
      at += nCtx;
      System.arraycopy(tail[i], tail[i].length - nTail, row, at, nTail);
      at += nTail;
      System.arraycopy(suffix, 0, row, at, suffix.length);
      rows[i] = row;
    }
    return rows;
  }

  /** The rows of {@link #rows} padded into one batch. */
  public static TokenBatch batch(LmTokenizer tokenizer, List<String> contexts, List<String> items, int maxTokens) {
    return TokenBatch.pad(rows(tokenizer, contexts, items, maxTokens), tokenizer.padId());
  }

  /** Pads rows made by {@link #rows} with this tokenizer's pad id. */
  public static TokenBatch pad(LmTokenizer tokenizer, long[][] rows) {
    return TokenBatch.pad(rows, tokenizer.padId());
  }
}
