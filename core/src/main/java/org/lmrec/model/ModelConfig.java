package org.lmrec.model;

import java.util.Map;
import org.lmrec.settings.Settings;

/**
 * Architecture and optimisation settings of one SRS model. {@link #defaults(ModelKind)} gives a
 * backbone's defaults, which live in its {@link Backbone} beside its serving encoder (as RecBole
 * keeps them beside the model), taken from the literature (METHODS.md §0).
 *
 * @param dim embedding and hidden size d
 * @param blocks SASRec self-attention blocks (GRU4Rec: GRU layers)
 * @param heads attention heads (SASRec only)
 * @param maxLen longest history the model reads (older items are dropped)
 * @param dropout dropout rate on embeddings, attention and feed-forward outputs
 * @param learningRate Adam learning rate
 * @param batchSize training sequences per step
 * @param loss training objective
 * @param seed seed for initialisation, batching, negative sampling and dropout
 */
public record ModelConfig(
    ModelKind kind,
    int dim,
    int blocks,
    int heads,
    int maxLen,
    float dropout,
    float learningRate,
    int batchSize,
    LossType loss,
    long seed) implements Settings<ModelConfig> {

  public ModelConfig {
    if (dim <= 0) throw new IllegalArgumentException("dim must be positive, got " + dim);
    if (blocks <= 0) throw new IllegalArgumentException("blocks must be positive, got " + blocks);
    if (heads <= 0 || dim % heads != 0) {
      throw new IllegalArgumentException("heads (" + heads + ") must divide dim (" + dim + ")");
    }
    if (maxLen <= 0) throw new IllegalArgumentException("maxLen must be positive, got " + maxLen);
    if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0,1), got " + dropout);
    if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive");
    if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be positive");
  }

  /** The backbone's defaults; they live beside its serving encoder, see {@link Backbone#defaults()}. */
  public static ModelConfig defaults(ModelKind kind) {
    return kind.backbone().defaults();
  }

  public ModelConfig withDim(int v) {
    return with(ModelConfig::dim, v);
  }

  public ModelConfig withBlocks(int v) {
    return with(ModelConfig::blocks, v);
  }

  public ModelConfig withHeads(int v) {
    return with(ModelConfig::heads, v);
  }

  public ModelConfig withMaxLen(int v) {
    return with(ModelConfig::maxLen, v);
  }

  public ModelConfig withDropout(float v) {
    return with(ModelConfig::dropout, v);
  }

  public ModelConfig withLearningRate(float v) {
    return with(ModelConfig::learningRate, v);
  }

  public ModelConfig withBatchSize(int v) {
    return with(ModelConfig::batchSize, v);
  }

  public ModelConfig withLoss(LossType v) {
    return with(ModelConfig::loss, v);
  }

  public ModelConfig withSeed(long v) {
    return with(ModelConfig::seed, v);
  }

  /** Reads what {@link #toMap()} wrote (numbers may come back as any Number from JSON). */
  public static ModelConfig fromMap(Map<String, ?> m) {
    return Settings.fromMap(ModelConfig.class, m);
  }
}
