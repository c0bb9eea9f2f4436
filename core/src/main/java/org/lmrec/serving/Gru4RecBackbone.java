package org.lmrec.serving;

import org.lmrec.model.Backbone;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.TensorMap;

/** GRU4Rec: its defaults (1 GRU layer, dropout 0.3), {@link Gru4RecEncoder} for serving, its FLOP count. */
public final class Gru4RecBackbone implements Backbone {
  @Override
  public ModelKind kind() {
    return ModelKind.GRU4REC;
  }

  @Override
  public ModelConfig defaults() {
    return new ModelConfig(ModelKind.GRU4REC, 64, 1, 1, 50, 0.3f, 1e-3f, 128, LossType.CE, 42);
  }

  @Override
  public SequenceEncoder servingEncoder(ModelConfig config, TensorMap weights) {
    return new Gru4RecEncoder(config, weights);
  }

  /** One GRU step per item: 3 gates x (input + hidden) d x d each, per layer; then a dense d x d. With maxLen 1, one step. */
  @Override
  public double flopsPerSequence(ModelConfig cfg) {
    double d = cfg.dim();
    double n = cfg.maxLen();
    return 2 * n * cfg.blocks() * (3 * 2 * d * d) + 2 * d * d;
  }
}
