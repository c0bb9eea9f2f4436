package org.lmrec.model;

import org.lmrec.tensor.Tensor;

/**
 * Initial item embeddings given from outside (the LM enhancers produce them) and how the model
 * may use them.
 *
 * @param table {@code [numItems + 1, width]}; row 0 (padding) is ignored
 * @param mode frozen, trainable, or frozen behind a trainable adapter
 * @param adapter the adapter's shape; required for ADAPTER, absent otherwise
 * @param alignment an optional auxiliary loss aligning the effective table with a reference (null: none)
 * @param residualStart the start of the adapter's residual table, {@code [numItems + 1, dim]}; null
 *     starts it at zero (only with an adapter that has the residual)
 */
public record EmbeddingInit(Tensor table, Mode mode, ItemAdapter adapter, ItemAlignment alignment, Tensor residualStart) {
  public enum Mode {
    /** Used as they are; width must equal the model dimension. */
    FROZEN,
    /** Starting point that training updates; width must equal the model dimension. */
    TRAINABLE,
    /** Frozen table of any width, mapped to the model dimension by a trainable {@link ItemAdapter}. */
    ADAPTER
  }

  public EmbeddingInit {
    if (table.rank() != 2) throw new IllegalArgumentException("embedding table must be 2-D, got " + table);
    if ((mode == Mode.ADAPTER) != (adapter != null)) {
      throw new IllegalArgumentException("an adapter is given exactly in mode ADAPTER (mode " + mode + ", adapter " + adapter + ")");
    }
    if (residualStart != null && (adapter == null || !adapter.residual())) {
      throw new IllegalArgumentException("a residual start needs an adapter with the residual table (adapter " + adapter + ")");
    }
  }

  /** The residual table, if any, starts at zero. */
  public EmbeddingInit(Tensor table, Mode mode, ItemAdapter adapter, ItemAlignment alignment) {
    this(table, mode, adapter, alignment, null);
  }

  /** No alignment; mode ADAPTER gets a single linear layer. */
  public EmbeddingInit(Tensor table, Mode mode) {
    this(table, mode, mode == Mode.ADAPTER ? ItemAdapter.linear() : null, null);
  }

  /**
   * Std of a Xavier-normal {@code [rows, cols]} matrix, sqrt(2 / (rows + cols)): what an ID item
   * table starts at, so the scale an external table is given when no trained table sets it.
   */
  public static double xavierStd(int rows, int cols) {
    return Math.sqrt(2.0 / (rows + cols));
  }

  public void checkFits(int numItems, int dim) {
    if (table.dim(0) != numItems + 1) {
      throw new IllegalArgumentException(
          "embedding table has " + table.dim(0) + " rows but the catalogue needs numItems + 1 = " + (numItems + 1));
    }
    if (mode != Mode.ADAPTER && table.dim(1) != dim) {
      throw new IllegalArgumentException(
          "embedding width " + table.dim(1) + " differs from model dim " + dim + ": use mode ADAPTER to map it");
    }
    if (alignment != null) alignment.checkFits(numItems, dim);
    if (residualStart != null && (residualStart.rank() != 2 || residualStart.dim(0) != numItems + 1 || residualStart.dim(1) != dim)) {
      throw new IllegalArgumentException("residual start " + residualStart + " does not match [" + (numItems + 1) + ", " + dim + "]");
    }
  }
}
