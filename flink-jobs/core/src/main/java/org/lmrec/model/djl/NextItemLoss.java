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
    NDArray rows = features.reshape(b * (long) len, dim).get(step.create(positions));
    NDArray targetIdx = step.create(targets);
    return switch (type) {
      case BCE -> {
        NDArray pos = rows.mul(DjlOps.embed(targetIdx, table)).sum(new int[] {1});
        NDArray neg = rows.mul(DjlOps.embed(step.create(negatives), table)).sum(new int[] {1});
        yield Activation.softPlus(pos.neg()).mean().add(Activation.softPlus(neg).mean());
      }
      case CE -> {
        NDArray logits = rows.matMul(DjlOps.transposed(table, step)).add(paddingColumnMask(step, table));
        yield logits.logSoftmax(1).gather(targetIdx.reshape(valid, 1), 1).neg().mean();
      }
    };
  }

  /** Adds a large negative score to column 0 so padding never competes with real items. */
  static NDArray paddingColumnMask(NDManager step, NDArray table) {
    long n = table.getShape().get(0);
    float[] m = new float[(int) n];
    m[0] = -1e9f;
    return step.create(m, new Shape(1, n));
  }
}
