package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.tensor.Tensor;

/**
 * The item embedding table as the model sees it, whichever way it was initialised: an ID table
 * learnt from scratch, a given table (frozen or trainable), or a frozen external table behind a
 * trainable linear adapter applied to every lookup (inputs, targets, candidates alike).
 */
final class ItemTable {
  private final NDArray table; // trainable or frozen [N+1, d] (or [N+1, w] under an adapter)
  private final NDArray adapterWeight; // [w, d] or null
  private final NDArray adapterBias; // [d] or null

  ItemTable(ParameterStore params, int numItems, int dim, EmbeddingInit init) {
    if (init == null) {
      table = params.xavier("item_embedding", numItems + 1, dim);
      adapterWeight = null;
      adapterBias = null;
      return;
    }
    init.checkFits(numItems, dim);
    Tensor t = init.table();
    switch (init.mode()) {
      case TRAINABLE -> {
        table = params.trainable("item_embedding", t);
        adapterWeight = null;
        adapterBias = null;
      }
      case FROZEN -> {
        table = params.frozen("item_embedding", t);
        adapterWeight = null;
        adapterBias = null;
      }
      case ADAPTER -> {
        table = params.frozen("item_text_table", t);
        adapterWeight = params.xavier("item_adapter.weight", t.dim(1), dim);
        adapterBias = params.constantFill("item_adapter.bias", dim, 0f);
      }
      default -> throw new IllegalStateException();
    }
  }

  /** The effective [N+1, d] table for this step, owned by the step's manager when computed. */
  NDArray effective(NDManager step) {
    if (adapterWeight == null) return table;
    NDArray projected = table.matMul(adapterWeight);
    projected.attach(step); // results live with the array an op is called on: keep them per step
    return projected.add(adapterBias);
  }
}
