package org.lmrec.train;

/**
 * How long a training run may still take. It ends at its epoch bound, after the epoch that crosses
 * its time budget, or earlier by early stopping, so the ETA is an upper bound: the smaller of
 * (epochs left × the mean epoch so far) and (budget left + one more epoch).
 */
record TrainingEta(int maxEpochs, long maxSeconds) {
  /** Seconds left at most after {@code epochsDone} epochs took {@code elapsedSeconds}; NaN before the first epoch. */
  double secondsLeft(int epochsDone, double elapsedSeconds) {
    if (epochsDone <= 0) return Double.NaN;
    double perEpoch = elapsedSeconds / epochsDone;
    double byEpochs = perEpoch * Math.max(0, maxEpochs - epochsDone);
    if (maxSeconds <= 0) return byEpochs;
    double byBudget = elapsedSeconds >= maxSeconds ? 0 : maxSeconds - elapsedSeconds + perEpoch;
    return Math.min(byEpochs, byBudget);
  }

  /** e.g. "epoch 3/30, 12 s, at most 1 min 48 s left (budget 2 min)". */
  String describe(int epochsDone, double elapsedSeconds) {
    return String.format("epoch %d/%d, %s, %s", epochsDone, maxEpochs, clock(elapsedSeconds), left(epochsDone, elapsedSeconds));
  }

  /** e.g. "at most 1 min 48 s left (budget 2 min)". */
  String left(int epochsDone, double elapsedSeconds) {
    double left = secondsLeft(epochsDone, elapsedSeconds);
    return (Double.isNaN(left) ? "ETA after the first epoch" : "at most " + clock(left) + " left")
        + (maxSeconds > 0 ? " (budget " + clock(maxSeconds) + ")" : "");
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) return s + " s";
    return s % 60 == 0 ? (s / 60) + " min" : String.format("%d min %d s", s / 60, s % 60);
  }
}
