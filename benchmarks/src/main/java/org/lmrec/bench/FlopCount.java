package org.lmrec.bench;

import org.lmrec.model.ModelConfig;

/**
 * Multiply-add FLOPs (2 per multiply-add) one scored event needs with the serving encoders, for
 * the compute bound: the encoder over a full window plus the product with the whole catalogue.
 */
public final class FlopCount {
  private FlopCount() {}

  public static double perEvent(ModelConfig cfg, int items) {
    return encoder(cfg) + 2.0 * items * cfg.dim();
  }

  /**
   * FLOPs of encoding one full-length history (maxLen items); with maxLen 1, one GRU step. Each
   * backbone counts its own ({@link org.lmrec.model.Backbone#flopsPerSequence}).
   */
  public static double encoder(ModelConfig cfg) {
    return cfg.kind().backbone().flopsPerSequence(cfg);
  }
}
