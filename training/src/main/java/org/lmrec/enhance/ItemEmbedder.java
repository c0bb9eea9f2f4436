package org.lmrec.enhance;

import java.util.List;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds every item's text with the LM on ONNX Runtime (the fast path), optionally with fine-tuned
 * LoRA weights folded into the projections: the frozen-LM baseline and P2Rec's augmentation stage
 * (each item alone, as a one-item user) both come through here.
 */
public final class ItemEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(ItemEmbedder.class);
  private static final int BATCH = 32;

  private ItemEmbedder() {}

  /** The base LM's embedding of every item, from the item-embedding store where texts are unchanged. */
  public static Tensor frozen(StageCache cache, LmCheckpoint checkpoint, List<String> itemTexts, int maxTokens, int threads) {
    return ItemEmbeddingStore.in(cache).embed(checkpoint, null, itemTexts, maxTokens, threads).table();
  }

  /**
   * @param itemTexts text by item index; entry 0 (padding) is skipped and gets a zero row
   * @param lora fine-tuned adapters to fold in, or null for the base LM
   * @return {@code [numItems + 1, hidden]}
   */
  public static Tensor embed(LmCheckpoint checkpoint, LoraWeights lora, List<String> itemTexts, int maxTokens, int threads) {
    List<String> items = itemTexts.subList(1, itemTexts.size());
    try (OnnxTextEmbedder embedder = new OnnxTextEmbedder(checkpoint, threads, lora);
        StageProgress progress = new StageProgress(lora == null ? "LM item embeddings" : "tuned LM item embeddings", items.size(), "items")) {
      float[][] rows = embedder.embed(items, maxTokens, BATCH, done -> progress.update(done, null));
      int h = embedder.hiddenSize();
      float[] out = new float[(rows.length + 1) * h];
      for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, (i + 1) * h, h);
      LOG.info(String.format("embedded %,d items with %s%s in %.1f s (%.0f items/s)", rows.length, checkpoint.name(),
          lora == null ? "" : " + LoRA", progress.seconds(), rows.length / progress.seconds()));
      return new Tensor(out, rows.length + 1, h);
    }
  }
}
