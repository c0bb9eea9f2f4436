package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ItemAdapter;
import org.lmrec.model.ItemAdapterFold;
import org.lmrec.model.ItemAlignment;
import org.lmrec.model.TrainingBatch;
import org.lmrec.tensor.Tensor;

/**
 * The item embedding table as the model sees it, whichever way it was initialised: an ID table
 * learnt from scratch, a given table (frozen or trainable), or a frozen external table behind a
 * trainable adapter (one or two linear layers) applied to every lookup (inputs, targets,
 * candidates alike). It also owns the optional alignment loss against a reference table.
 */
final class ItemTable {
  static final String ADAPTER_PREFIX = "item_adapter.";

  private final NDArray table; // trainable or frozen [N+1, d] (or [N+1, w] under an adapter)
  private final ItemAdapter adapter; // null unless mode ADAPTER
  private final NDArray[] weights; // per adapter layer: [in, out]
  private final NDArray[] biases; // per adapter layer: [out]
  private final NDArray residual; // [N+1, d] beside the adapter's output, or null
  private final NDArray residualStart; // frozen copy of its given start when the L2 term pulls toward it, else null
  private final ItemAlignment alignment; // null when there is none
  private final NDArray alignmentTarget;
  private final Random alignmentSampling;

  ItemTable(ParameterStore params, int numItems, int dim, EmbeddingInit init, long seed) {
    alignmentSampling = new Random(seed);
    if (init == null) {
      table = params.xavier("item_embedding", numItems + 1, dim);
      adapter = null;
      weights = biases = new NDArray[0];
      residual = null;
      residualStart = null;
      alignment = null;
      alignmentTarget = null;
      return;
    }
    init.checkFits(numItems, dim);
    Tensor t = init.table();
    adapter = init.adapter();
    switch (init.mode()) {
      case TRAINABLE -> table = params.trainable("item_embedding", t);
      case FROZEN -> table = params.frozen("item_embedding", t);
      case ADAPTER -> table = params.frozen("item_text_table", t);
      default -> throw new IllegalStateException();
    }
    if (adapter == null) {
      weights = biases = new NDArray[0];
    } else if (!adapter.twoLayers()) {
      // the single layer keeps its original names, so earlier adapter checkpoints still restore
      weights = new NDArray[] {params.xavier(ADAPTER_PREFIX + "weight", t.dim(1), dim)};
      biases = new NDArray[] {params.constantFill(ADAPTER_PREFIX + "bias", dim, 0f)};
    } else {
      int[] widths = {t.dim(1), adapter.hiddenWidth(), dim};
      weights = new NDArray[2];
      biases = new NDArray[2];
      for (int layer = 0; layer < 2; layer++) {
        weights[layer] = params.xavier(ADAPTER_PREFIX + layer + ".weight", widths[layer], widths[layer + 1]);
        biases[layer] = params.constantFill(ADAPTER_PREFIX + layer + ".bias", widths[layer + 1], 0f);
      }
    }
    residual = adapter != null && adapter.residual()
        ? params.trainable(ItemAdapterFold.RESIDUAL, init.residualStart() != null
            ? init.residualStart() : new Tensor(new float[(numItems + 1) * dim], numItems + 1, dim))
        : null;
    residualStart = residual != null && adapter.residualL2() > 0 && init.residualStart() != null
        ? params.frozen("item_residual_start", init.residualStart())
        : null;
    alignment = init.alignment() != null && init.alignment().weight() > 0 ? init.alignment() : null;
    alignmentTarget = alignment == null ? null : params.frozen("item_alignment_target", alignment.target());
  }

  /** The effective [N+1, d] table for this step, owned by the step's manager when computed. */
  NDArray effective(NDManager step) {
    if (weights.length == 0) return table;
    NDArray x = table.matMul(weights[0]);
    x.attach(step); // results live with the array an op is called on: keep them per step
    x = x.add(biases[0]);
    if (weights.length == 2) {
      x = activate(x).matMul(weights[1]).add(biases[1]);
    }
    return residual == null ? x : x.add(residual);
  }

  private NDArray activate(NDArray x) {
    return switch (adapter.activation()) {
      case NONE -> x;
      case RELU -> Activation.relu(x);
      case GELU -> Activation.gelu(x);
      case TANH -> x.tanh();
    };
  }

  /**
   * λ · Σ (residual − its start)² over the whole residual table (the start is zero unless one was
   * given), or null without the residual or with λ 0.
   */
  NDArray residualPenalty(NDManager step) {
    if (residual == null || adapter.residualL2() <= 0) return null;
    NDArray sq = residualStart == null ? residual.square() : residual.sub(residualStart).square();
    sq.attach(step);
    return sq.sum().mul(DjlOps.scalar(step, adapter.residualL2()));
  }

  /**
   * α · the soft contrastive loss between the effective rows and the reference rows of the
   * batch's distinct items (inputs and targets), or null when there is no alignment.
   */
  NDArray alignmentLoss(NDManager step, NDArray effective, TrainingBatch batch) {
    if (alignment == null) return null;
    long[] items = alignedItems(batch);
    if (items.length < 2) return null;
    NDArray idx = DjlOps.longs(step, items, new Shape(items.length));
    NDArray tau = DjlOps.scalar(step, alignment.temperature());
    NDArray loss = SoftContrastiveLoss.of(DjlOps.embed(idx, effective), DjlOps.embed(idx, alignmentTarget), tau);
    return loss.mul(DjlOps.scalar(step, alignment.weight()));
  }

  /** Distinct non-padding items of a batch in ascending order, sampled down to the cap. */
  private long[] alignedItems(TrainingBatch batch) {
    TreeSet<Integer> distinct = new TreeSet<>();
    for (int[] row : batch.inputs()) for (int i : row) if (i != 0) distinct.add(i);
    for (int[] row : batch.targets()) for (int i : row) if (i != 0) distinct.add(i);
    long[] all = distinct.stream().mapToLong(Integer::longValue).toArray();
    if (all.length <= alignment.maxItems()) return all;
    for (int i = all.length - 1; i > 0; i--) { // seeded Fisher-Yates prefix
      int j = alignmentSampling.nextInt(i + 1);
      long tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    long[] sample = Arrays.copyOfRange(all, all.length - alignment.maxItems(), all.length);
    Arrays.sort(sample);
    return sample;
  }
}
