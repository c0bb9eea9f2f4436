package org.lmrec.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param epochs per-epoch statistics in order
 * @param bestEpoch the epoch whose weights the model holds after training (1-based)
 * @param bestValidation validation score of that epoch (NDCG@10 unless the caller chose otherwise)
 * @param secondsToBest wall time from the start until the best epoch had been validated
 * @param totalSeconds wall time of the whole run, validation included
 */
public record TrainingReport(
    List<EpochStats> epochs, int bestEpoch, double bestValidation, double secondsToBest, double totalSeconds) {

  /** Mean seconds of training (validation excluded) per epoch. */
  public double meanEpochSeconds() {
    return epochs.stream().mapToDouble(EpochStats::trainSeconds).average().orElse(Double.NaN);
  }

  /**
   * @param validation the validation score after this epoch, NaN when not validated
   */
  public record EpochStats(int epoch, double meanLoss, double trainSeconds, double sequencesPerSecond, double validation) {}
}
