package org.lmrec.enhance;

import org.lmrec.model.EmbeddingInit;
import org.lmrec.tensor.Tensor;

/** Turns LM item embeddings into the SRS's initial item table, in the configured way. */
public final class EnhancedTable {
  private EnhancedTable() {}

  /**
   * @param lmEmbeddings {@code [numItems + 1, hidden]}
   * @param mode ADAPTER keeps the full LM table frozen behind a trained projection; TRAINABLE and
   *     FROZEN use the PCA reduction to {@code dim}, scaled to {@code std}
   */
  public static EmbeddingInit init(Tensor lmEmbeddings, EmbeddingInit.Mode mode, int dim, double std) {
    if (mode == EmbeddingInit.Mode.ADAPTER) return new EmbeddingInit(lmEmbeddings, mode);
    return new EmbeddingInit(EmbeddingReduction.pca(lmEmbeddings, dim, std), mode);
  }
}
