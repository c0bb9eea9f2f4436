package org.lmrec.train;

import org.lmrec.settings.Settings;

/**
 * How long and how watchfully to train.
 *
 * @param maxEpochs upper bound on epochs
 * @param evalEvery validate every this many epochs
 * @param patience stop after this many validations without improvement
 * @param showProgress draw a progress bar (when a console is attached) and log each epoch
 * @param maxSeconds stop after the epoch that crosses this wall-clock budget (0 = no budget); the
 *     model still ends on its best validated epoch
 */
public record TrainingOptions(int maxEpochs, int evalEvery, int patience, boolean showProgress, long maxSeconds)
    implements Settings<TrainingOptions> {
  public TrainingOptions(int maxEpochs, int evalEvery, int patience, boolean showProgress) {
    this(maxEpochs, evalEvery, patience, showProgress, 0);
  }

  public TrainingOptions {
    if (maxSeconds < 0) throw new IllegalArgumentException("maxSeconds must be >= 0");
    if (maxEpochs < 1) throw new IllegalArgumentException("maxEpochs must be at least 1");
    if (evalEvery < 1) throw new IllegalArgumentException("evalEvery must be at least 1");
    if (patience < 1) throw new IllegalArgumentException("patience must be at least 1");
  }

  public static TrainingOptions defaults() {
    return new TrainingOptions(200, 1, 5, true);
  }

  public TrainingOptions withMaxEpochs(int v) {
    return with(TrainingOptions::maxEpochs, v);
  }

  public TrainingOptions withEvalEvery(int v) {
    return with(TrainingOptions::evalEvery, v);
  }

  public TrainingOptions withPatience(int v) {
    return with(TrainingOptions::patience, v);
  }

  public TrainingOptions withShowProgress(boolean v) {
    return with(TrainingOptions::showProgress, v);
  }

  public TrainingOptions withMaxSeconds(long v) {
    return with(TrainingOptions::maxSeconds, v);
  }
}
