package org.lmrec.model;

import org.lmrec.eval.NextItemScorer;
import org.lmrec.tensor.TensorMap;

/**
 * The one contract every trainable backbone honours, so that training, evaluation, artifacts and
 * the LM enhancers never care which backbone they hold.
 */
public interface SequentialModel extends NextItemScorer, AutoCloseable {
  ModelConfig config();

  int numItems();

  /** One optimisation step on a batch; returns the mean loss of the batch. */
  float trainStep(TrainingBatch batch);

  /** Scores every item as the next one after each history, in inference mode (no dropout). */
  @Override
  float[][] scoreAll(int[][] histories);

  /**
   * The weights a serving scorer needs, under the names of the backbone's serving layout; the item
   * table is always exported as the effective {@code item_embedding} [numItems + 1, dim], so an
   * adapter is folded in and serving never sees it.
   */
  TensorMap exportWeights();

  /**
   * The trained adapter of a frozen external item table ({@code item_adapter.*}), empty when the
   * model has none: not needed for serving (it is folded into {@code item_embedding}), kept in
   * artifacts so that the fold can be checked and the adapter reused.
   */
  default TensorMap exportItemAdapter() {
    return new TensorMap();
  }

  /** Replaces the current weights with ones from {@link #exportTrainableState()} (best-epoch restore). */
  void restoreTrainableState(TensorMap state);

  /** A copy of every trainable parameter, for keeping the best epoch during early stopping. */
  TensorMap exportTrainableState();

  @Override
  void close();
}
