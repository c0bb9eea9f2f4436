package org.lmrec.model;

import org.lmrec.tensor.Tensor;

/**
 * An auxiliary training loss that pulls the model's item embeddings towards a reference table
 * (LLMEmb's RAT aligns the adapter output with an ID-only SASRec's items, METHODS.md §2): the
 * soft contrastive loss between the two at a fixed temperature, over the distinct items of each
 * batch, added to the next-item loss with a weight.
 *
 * @param target {@code [numItems + 1, dim]} reference embeddings (row 0 ignored)
 * @param weight α, the weight of the alignment term
 * @param temperature τ of the contrastive loss
 * @param maxItems cap on the items aligned per batch (a seeded sample beyond it): the loss
 *     builds two [n, n] similarity matrices, so n bounds its cost
 */
public record ItemAlignment(Tensor target, float weight, float temperature, int maxItems) {
  public ItemAlignment {
    if (target.rank() != 2) throw new IllegalArgumentException("alignment target must be 2-D, got " + target);
    if (!(weight >= 0)) throw new IllegalArgumentException("alignment weight must not be negative, got " + weight);
    if (!(temperature > 0)) throw new IllegalArgumentException("alignment temperature must be positive, got " + temperature);
    if (maxItems < 2) throw new IllegalArgumentException("alignment needs at least 2 items per batch, got " + maxItems);
  }

  public void checkFits(int numItems, int dim) {
    if (target.dim(0) != numItems + 1 || target.dim(1) != dim) {
      throw new IllegalArgumentException(
          "alignment target is " + target + " but the model needs [" + (numItems + 1) + ", " + dim + "]");
    }
  }
}
