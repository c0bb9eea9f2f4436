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

  /** FLOPs of encoding one full-length history (maxLen items); with maxLen 1, one GRU step. */
  public static double encoder(ModelConfig cfg) {
    double d = cfg.dim();
    double n = cfg.maxLen();
    return switch (cfg.kind()) {
      // Every block but the last runs on all n positions: Q, K, V, output and two FFN projections
      // (6 d x d) plus attention scores and mixing (2 n d); the last block needs K and V on all
      // positions but everything else only for the newest one.
      case SASREC -> (cfg.blocks() - 1) * 2 * n * (6 * d * d + 2 * n * d) + 2 * (2 * n * d * d) + 2 * (4 * d * d + 2 * n * d);
      // One GRU step per item: 3 gates x (input + hidden) d x d each, per layer; then a dense d x d.
      case GRU4REC -> 2 * n * cfg.blocks() * (3 * 2 * d * d) + 2 * d * d;
    };
  }
}
