package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;

/**
 * LLMEmb's contrastive loss with soft targets (METHODS.md §2), used by SCFT (two views of the same
 * items) and by RAT's alignment (adapter output vs ID-only SASRec embeddings):
 *
 * <pre>
 *   logits  = X·Yᵀ / τ
 *   targets = softmax((X·Xᵀ + Y·Yᵀ) / 2 · τ)   (row-wise)
 *   loss    = (CE(logits, targets) + CE(logitsᵀ, targetsᵀ)) / 2
 * </pre>
 *
 * where CE(a, t) is the mean over rows of −Σ t · log softmax(a). Other rows of the batch are the
 * negatives; items that are alike get partial credit through the soft targets. τ may be a
 * learnable scalar array (SCFT starts it at 3) or a constant (RAT uses 2).
 */
public final class SoftContrastiveLoss {
  private SoftContrastiveLoss() {}

  /**
   * @param x {@code [B, D]} first view
   * @param y {@code [B, D]} second view (row i pairs with row i of x)
   * @param tau a scalar array (shape {@code []}); gradients flow into it when it requires them
   */
  public static NDArray of(NDArray x, NDArray y, NDArray tau) {
    // a PyTorch-owned scalar: div(Number) frees its temporary while backward still needs it (DjlOps.scalar)
    NDArray half = DjlOps.scalar(x.getManager(), 0.5f);
    NDArray logits = x.matMul(y.transpose()).div(tau);
    NDArray similarity = x.matMul(x.transpose()).add(y.matMul(y.transpose()));
    NDArray targets = similarity.mul(half).mul(tau).softmax(1);
    NDArray rows = crossEntropy(logits, targets);
    NDArray columns = crossEntropy(logits.transpose(), targets.transpose());
    return rows.add(columns).mul(half);
  }

  private static NDArray crossEntropy(NDArray logits, NDArray targets) {
    return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
  }
}
