package org.lmrec.enhance.llmemb;

/**
 * Settings of LLMEmb's supervised contrastive fine-tuning (METHODS.md §2), defaults in
 * {@link #defaults()}.
 *
 * @param dropShare share of attributes each view drops (0.4 in the paper)
 * @param initialTemperature starting value of the learnable τ (3 in the paper)
 * @param itemTokens token budget of one view
 * @param epochs passes over the catalogue
 * @param batchSize items per step (each gives two views; the rest of the batch are negatives)
 * @param learningRate Adam learning rate of LoRA and τ
 * @param seed item order and view sampling
 */
public record ScftConfig(
    double dropShare, float initialTemperature, int itemTokens, int epochs, int batchSize, float learningRate, long seed) {

  public ScftConfig {
    if (!(initialTemperature > 0)) throw new IllegalArgumentException("initial temperature must be positive");
    if (itemTokens < 8) throw new IllegalArgumentException("itemTokens must be at least 8");
    if (epochs < 0) throw new IllegalArgumentException("epochs must not be negative");
    if (batchSize < 2) throw new IllegalArgumentException("a contrastive batch needs at least 2 items");
    if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive");
  }

  public static ScftConfig defaults() {
    return new ScftConfig(AttributeAugmentation.DEFAULT_DROP_SHARE, 3f, 64, 1, 32, 1e-4f, 42);
  }

  public ScftConfig withTraining(int epochsV, int batchSizeV, float learningRateV) {
    return new ScftConfig(dropShare, initialTemperature, itemTokens, epochsV, batchSizeV, learningRateV, seed);
  }
}
