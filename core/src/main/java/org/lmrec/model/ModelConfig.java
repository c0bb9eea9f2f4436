package org.lmrec.model;

import java.util.LinkedHashMap;
import java.util.Map;

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
    long seed) {

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
    return new ModelConfig(kind, v, blocks, heads, maxLen, dropout, learningRate, batchSize, loss, seed);
  }

  public ModelConfig withBlocks(int v) {
    return new ModelConfig(kind, dim, v, heads, maxLen, dropout, learningRate, batchSize, loss, seed);
  }

  public ModelConfig withHeads(int v) {
    return new ModelConfig(kind, dim, blocks, v, maxLen, dropout, learningRate, batchSize, loss, seed);
  }

  public ModelConfig withMaxLen(int v) {
    return new ModelConfig(kind, dim, blocks, heads, v, dropout, learningRate, batchSize, loss, seed);
  }

  public ModelConfig withDropout(float v) {
    return new ModelConfig(kind, dim, blocks, heads, maxLen, v, learningRate, batchSize, loss, seed);
  }

  public ModelConfig withLearningRate(float v) {
    return new ModelConfig(kind, dim, blocks, heads, maxLen, dropout, v, batchSize, loss, seed);
  }

  public ModelConfig withBatchSize(int v) {
    return new ModelConfig(kind, dim, blocks, heads, maxLen, dropout, learningRate, v, loss, seed);
  }

  public ModelConfig withLoss(LossType v) {
    return new ModelConfig(kind, dim, blocks, heads, maxLen, dropout, learningRate, batchSize, v, seed);
  }

  public ModelConfig withSeed(long v) {
    return new ModelConfig(kind, dim, blocks, heads, maxLen, dropout, learningRate, batchSize, loss, v);
  }

  /** The settings as a flat map, for manifests and logs. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.id());
    m.put("dim", dim);
    m.put("blocks", blocks);
    m.put("heads", heads);
    m.put("maxLen", maxLen);
    m.put("dropout", dropout);
    m.put("learningRate", learningRate);
    m.put("batchSize", batchSize);
    m.put("loss", loss.name());
    m.put("seed", seed);
    return m;
  }

  /** Reads what {@link #toMap()} wrote (numbers may come back as any Number from JSON). */
  public static ModelConfig fromMap(Map<String, ?> m) {
    ModelKind kind = ModelKind.parse(String.valueOf(required(m, "kind")));
    return new ModelConfig(
        kind,
        number(m, "dim").intValue(),
        number(m, "blocks").intValue(),
        number(m, "heads").intValue(),
        number(m, "maxLen").intValue(),
        number(m, "dropout").floatValue(),
        number(m, "learningRate").floatValue(),
        number(m, "batchSize").intValue(),
        LossType.parse(String.valueOf(required(m, "loss"))),
        number(m, "seed").longValue());
  }

  private static Object required(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) throw new IllegalArgumentException("model config lacks '" + key + "'");
    return v;
  }

  private static Number number(Map<String, ?> m, String key) {
    Object v = required(m, key);
    if (v instanceof Number n) return n;
    try {
      return Double.valueOf(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model config '" + key + "' is not a number: " + v);
    }
  }
}
