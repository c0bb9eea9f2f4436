package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.lmrec.model.LossType;
import org.lmrec.model.TrainingBatch;

/**
 * Next-item losses over every position that has a target. Only those positions are gathered
 * before the catalogue product, which matters for the full cross-entropy: on sparse data most
 * positions of a padded batch are empty, and the [positions x catalogue] logits dominate the cost.
 */
final class NextItemLoss {
  private NextItemLoss() {}

  static NDArray compute(
      NDManager step, NDArray features, NDArray table, TrainingBatch batch, LossType type) {
    int b = batch.size();
    int len = batch.length();
    int dim = (int) features.getShape().get(2);
    int valid = 0;
    for (int[] row : batch.targets()) for (int t : row) if (t != 0) valid++;
    if (valid == 0) throw new IllegalArgumentException("training batch has no targets");
    long[] positions = new long[valid];
    long[] targets = new long[valid];
    long[] negatives = type == LossType.BCE ? new long[valid] : null;
    int k = 0;
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < len; t++) {
        int target = batch.targets()[i][t];
        if (target == 0) continue;
        positions[k] = (long) i * len + t;
        targets[k] = target;
        if (negatives != null) negatives[k] = batch.negatives()[i][t];
        k++;
      }
    }
    NDArray rows = features.reshape(b * (long) len, dim).get(DjlOps.longs(step, positions, new Shape(valid)));
    NDArray targetIdx = DjlOps.longs(step, targets, new Shape(valid));
    return switch (type) {
      case BCE -> {
        NDArray pos = rows.mul(DjlOps.embed(targetIdx, table)).sum(new int[] {1});
        NDArray neg = rows.mul(DjlOps.embed(DjlOps.longs(step, negatives, new Shape(valid)), table)).sum(new int[] {1});
        yield Activation.softPlus(pos.neg()).mean().add(Activation.softPlus(neg).mean());
      }
      case CE -> {
        // Chunked so that no logits tensor passes ALLOCATION_LIMIT_BYTES (see chunkRows).
        NDArray tableT = DjlOps.transposed(table, step);
        NDArray padMask = paddingColumnMask(step, table);
        int chunk = chunkRows(table.getShape().get(0));
        NDArray total = null;
        for (int start = 0; start < valid; start += chunk) {
          String range = start + ":" + Math.min(valid, start + chunk);
          NDArray logits = rows.get(range).matMul(tableT).add(padMask);
          NDArray nll = logits.logSoftmax(1).gather(targetIdx.get(range).expandDims(1), 1).neg().sum();
          total = total == null ? nll : total.add(nll);
        }
        yield total.div(DjlOps.scalar(step, valid));
      }
    };
  }

  /**
   * Largest tensor a step should allocate. Above glibc's mmap ceiling (32 MB) every allocation is
   * freshly mapped and page-faulted; measured here, log-softmax over 80 MB of logits ran 30 times
   * slower per element than over 13 MB. Keeping tensors under 16 MB keeps them in reused heap.
   */
  static final long ALLOCATION_LIMIT_BYTES = 16L << 20;

  /** Rows of a [rows, catalogue] float tensor that fit in {@link #ALLOCATION_LIMIT_BYTES}. */
  static int chunkRows(long catalogueWidth) {
    return (int) Math.max(1, ALLOCATION_LIMIT_BYTES / (Float.BYTES * catalogueWidth));
  }

  /** Adds a large negative score to column 0 so padding never competes with real items. */
  static NDArray paddingColumnMask(NDManager step, NDArray table) {
    long n = table.getShape().get(0);
    float[] m = new float[(int) n];
    m[0] = -1e9f;
    return DjlOps.floats(step, m, new Shape(1, n));
  }
}
