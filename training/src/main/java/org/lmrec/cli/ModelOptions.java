package org.lmrec.cli;

import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import picocli.CommandLine.Option;

/** Model settings; anything left out takes the backbone's default from {@link ModelConfig#defaults}. */
public final class ModelOptions {
  @Option(names = "--model", description = "Backbone: sasrec (default) or gru4rec.", converter = KindConverter.class)
  ModelKind kind = ModelKind.SASREC;

  @Option(names = "--loss", description = "ce (full softmax, default) or bce (one sampled negative, as the SASRec paper).", converter = LossConverter.class)
  LossType loss;

  @Option(names = "--dim", description = "Embedding size d (default 64).")
  Integer dim;

  @Option(names = "--blocks", description = "SASRec attention blocks / GRU layers (default 2 / 1).")
  Integer blocks;

  @Option(names = "--heads", description = "Attention heads (default 1).")
  Integer heads;

  @Option(names = "--max-len", description = "Longest history read (default 50).")
  Integer maxLen;

  @Option(names = "--dropout", description = "Dropout rate (default 0.2 SASRec, 0.3 GRU4Rec).")
  Float dropout;

  @Option(names = "--lr", description = "Adam learning rate (default 0.001).")
  Float lr;

  @Option(names = "--batch-size", description = "Sequences per training step (default 128).")
  Integer batchSize;

  @Option(names = "--seed", description = "Seed for initialisation, batching, sampling, dropout (default 42).")
  Long seed;

  public ModelConfig toConfig() {
    ModelConfig c = ModelConfig.defaults(kind);
    if (loss != null) c = c.withLoss(loss);
    if (dim != null) c = c.withDim(dim);
    if (blocks != null) c = c.withBlocks(blocks);
    if (heads != null) c = c.withHeads(heads);
    if (maxLen != null) c = c.withMaxLen(maxLen);
    if (dropout != null) c = c.withDropout(dropout);
    if (lr != null) c = c.withLearningRate(lr);
    if (batchSize != null) c = c.withBatchSize(batchSize);
    if (seed != null) c = c.withSeed(seed);
    return c;
  }

  static final class KindConverter implements picocli.CommandLine.ITypeConverter<ModelKind> {
    @Override
    public ModelKind convert(String value) {
      return ModelKind.parse(value);
    }
  }

  static final class LossConverter implements picocli.CommandLine.ITypeConverter<LossType> {
    @Override
    public LossType convert(String value) {
      return LossType.parse(value);
    }
  }
}
