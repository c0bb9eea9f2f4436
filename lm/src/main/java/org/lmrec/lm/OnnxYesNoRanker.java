package org.lmrec.lm;

import java.util.List;
import java.util.function.IntConsumer;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.YesNoHead;

/**
 * LLM-TRSR's fine-tuned yes/no ranker without PyTorch: the prompt's tokens ({@link PromptTokens})
 * through ONNX Runtime with the ranker's LoRA folded into the base checkpoint ({@link
 * OnnxTextEmbedder}), mean-pooled, then the {@link YesNoHead} in plain Java. Refuses a ranker
 * trained on another base LM (SHA-256 of the .onnx file). Not thread-safe (one per thread).
 */
public final class OnnxYesNoRanker implements AutoCloseable {
  private final RankerSpec spec;
  private final YesNoHead head;
  private final OnnxTextEmbedder embedder;

  public OnnxYesNoRanker(LmCheckpoint checkpoint, int threads, RankerFiles.Stored ranker) {
    this.spec = ranker.spec();
    this.head = ranker.head();
    String sha = checkpoint.sha256();
    if (!sha.equalsIgnoreCase(spec.lmSha256())) {
      throw new IllegalArgumentException("the ranker was fine-tuned on base LM " + spec.lmName() + " (onnx SHA-256 " + spec.lmSha256()
          + ") but checkpoint " + checkpoint.name() + " has SHA-256 " + sha + ": its LoRA weights do not apply to this model");
    }
    LoraWeights lora = LoraWeights.fromTensorMap(ranker.lora(), LoraConfig.fromJsonMap(spec.lora()));
    this.embedder = new OnnxTextEmbedder(checkpoint, threads, lora);
    if (embedder.hiddenSize() != head.hidden()) {
      embedder.close();
      throw new IllegalArgumentException("checkpoint " + checkpoint.name() + " is " + embedder.hiddenSize() + " wide but the ranker head reads " + head.hidden());
    }
  }

  public RankerSpec spec() {
    return spec;
  }

  public LmTokenizer tokenizer() {
    return embedder.tokenizer();
  }

  /**
   * {@code {l_yes, l_no}} per prompt, prompts given as their two parts ({@code RankingPrompt.context}
   * and {@code .items}), batched by length; {@code progress} (may be null) hears the prompts done.
   */
  public double[][] logits(List<String> contexts, List<String> items, int batchSize, IntConsumer progress) {
    long[][] rows = PromptTokens.rows(embedder.tokenizer(), contexts, items, spec.maxTokens());
    float[][] pooled = EmbeddingBatches.embedRows(rows, embedder.tokenizer().padId(), batchSize, progress, embedder::embedBatch);
    double[][] out = new double[pooled.length][];
    for (int i = 0; i < pooled.length; i++) out[i] = head.logits(pooled[i]);
    return out;
  }

  /** The yes probability of each prompt (see {@link #logits}). */
  public double[] scores(List<String> contexts, List<String> items, int batchSize) {
    double[][] l = logits(contexts, items, batchSize, null);
    double[] s = new double[l.length];
    for (int i = 0; i < l.length; i++) s[i] = org.lmrec.trsr.YesNoScore.of(l[i][YesNoHead.YES], l[i][YesNoHead.NO]);
    return s;
  }

  @Override
  public void close() {
    embedder.close();
  }
}
