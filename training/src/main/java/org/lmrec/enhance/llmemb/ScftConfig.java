package org.lmrec.enhance.llmemb;

import org.lmrec.settings.Settings;

/**
 * Settings of LLMEmb's supervised contrastive fine-tuning (METHODS.md §2), defaults in
 * {@link #defaults()}.
 *
 * @param dropShare share of attributes each view drops (0.4 in the paper)
 * @param initialTemperature starting value of the learnable τ (3 in the paper)
 * @param itemTokens token budget of one view
 * @param epochs passes over the catalogue
 * @param batchSize items per step (each gives two views; the rest of the batch are negatives)
 * @param learningRate Adam learning rate of LoRA and τ (1e-3, as P2Rec's fine-tuning: at 1e-4 one epoch
 *     over a few thousand items barely moves a zero-initialised LoRA B)
 * @param seed item order and view sampling
 */
public record ScftConfig(
    double dropShare, float initialTemperature, int itemTokens, int epochs, int batchSize, float learningRate, long seed)
    implements Settings<ScftConfig> {

  public ScftConfig {
    if (!(initialTemperature > 0)) throw new IllegalArgumentException("initial temperature must be positive");
    if (itemTokens < 8) throw new IllegalArgumentException("itemTokens must be at least 8");
    if (epochs < 0) throw new IllegalArgumentException("epochs must not be negative");
    if (batchSize < 2) throw new IllegalArgumentException("a contrastive batch needs at least 2 items");
    if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive");
  }

  public static ScftConfig defaults() {
    return new ScftConfig(AttributeAugmentation.DEFAULT_DROP_SHARE, 3f, 64, 1, 32, 1e-3f, 42);
  }

  public ScftConfig withTraining(int epochsV, int batchSizeV, float learningRateV) {
    return edit().set(ScftConfig::epochs, epochsV).set(ScftConfig::batchSize, batchSizeV).set(ScftConfig::learningRate, learningRateV).build();
  }

  public ScftConfig withDropShare(double v) {
    return with(ScftConfig::dropShare, v);
  }

  public ScftConfig withInitialTemperature(float v) {
    return with(ScftConfig::initialTemperature, v);
  }

  public ScftConfig withItemTokens(int v) {
    return with(ScftConfig::itemTokens, v);
  }

  public ScftConfig withSeed(long v) {
    return with(ScftConfig::seed, v);
  }
}
