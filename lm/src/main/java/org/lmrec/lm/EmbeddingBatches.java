package org.lmrec.lm;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Runs a pooled encoder over many texts in batches of similar length: the texts are tokenized,
 * ordered by token count (so a batch pads little), embedded batch by batch, and the rows put back
 * in input order. Both encoders use it, so they see the same batches.
 */
public final class EmbeddingBatches {
  private EmbeddingBatches() {}

  public static float[][] embed(
      LmTokenizer tokenizer,
      List<String> texts,
      int maxTokens,
      boolean keepEnd,
      int batchSize,
      IntConsumer progress,
      Function<TokenBatch, float[][]> encoder) {
    return embedRows(tokenizer.encodeRows(texts, maxTokens, keepEnd), tokenizer.padId(), batchSize, progress, encoder);
  }

  /** As {@link #embed} for rows already tokenized ({@code [CLS] ... [SEP]}, unpadded). */
  public static float[][] embedRows(long[][] rows, long padId, int batchSize, IntConsumer progress, Function<TokenBatch, float[][]> encoder) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    Integer[] order = new Integer[rows.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt(i -> rows[i].length)); // stable: ties keep input order
    float[][] out = new float[rows.length][];
    for (int start = 0; start < rows.length; start += batchSize) {
      int end = Math.min(rows.length, start + batchSize);
      long[][] chunk = new long[end - start][];
      for (int i = start; i < end; i++) chunk[i - start] = rows[order[i]];
      float[][] pooled = encoder.apply(TokenBatch.pad(chunk, padId));
      for (int i = start; i < end; i++) out[order[i]] = pooled[i - start];
      if (progress != null) progress.accept(end);
    }
    return out;
  }
}
