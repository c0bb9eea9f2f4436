package org.lmrec.serving;

import org.lmrec.model.Backbone;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.TensorMap;

/** SASRec: its defaults (2 blocks, 1 head, dropout 0.2), {@link SasRecEncoder} for serving, its FLOP count. */
public final class SasRecBackbone implements Backbone {
  @Override
  public ModelKind kind() {
    return ModelKind.SASREC;
  }

  @Override
  public ModelConfig defaults() {
    return new ModelConfig(ModelKind.SASREC, 64, 2, 1, 50, 0.2f, 1e-3f, 128, LossType.CE, 42);
  }

  @Override
  public SequenceEncoder servingEncoder(ModelConfig config, TensorMap weights) {
    return new SasRecEncoder(config, weights);
  }

  /**
   * Every block but the last runs on all n positions: Q, K, V, output and two FFN projections
   * (6 d x d) plus attention scores and mixing (2 n d); the last block needs K and V on all
   * positions but everything else only for the newest one.
   */
  @Override
  public double flopsPerSequence(ModelConfig cfg) {
    double d = cfg.dim();
    double n = cfg.maxLen();
    return (cfg.blocks() - 1) * 2 * n * (6 * d * d + 2 * n * d) + 2 * (2 * n * d * d) + 2 * (4 * d * d + 2 * n * d);
  }
}
