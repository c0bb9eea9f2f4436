package org.lmrec.experiment;

import org.hipparchus.distribution.continuous.ChiSquaredDistribution;

/**
 * Sample ratio mismatch check: a chi-square goodness-of-fit test of the arms' exposure counts
 * against their configured weights. An alarm means the assignment or the logging is broken (e.g. one
 * arm's events are lost or filtered), and the experiment's other numbers should not be trusted.
 */
public final class SampleRatioMismatch {
  /** The usual SRM threshold: strict, because the test runs often and large samples make it sensitive. */
  public static final double ALARM_P = 0.001;

  /** @param alarm {@code pValue < ALARM_P} */
  public record Result(double chiSquare, int degreesOfFreedom, double pValue, boolean alarm) {}

  private SampleRatioMismatch() {}

  public static Result test(long[] observedCounts, int[] weights) {
    if (observedCounts.length != weights.length) {
      throw new IllegalArgumentException("observedCounts has " + observedCounts.length + " arms but weights has " + weights.length);
    }
    if (weights.length < 2) throw new IllegalArgumentException("needs at least 2 arms, got " + weights.length);
    long total = 0;
    long totalWeight = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) throw new IllegalArgumentException("weights[" + i + "] must be positive, got " + weights[i]);
      if (observedCounts[i] < 0) throw new IllegalArgumentException("observedCounts[" + i + "] must be >= 0, got " + observedCounts[i]);
      total += observedCounts[i];
      totalWeight += weights[i];
    }
    int df = weights.length - 1;
    if (total == 0) return new Result(0, df, 1, false);
    double chi = 0;
    for (int i = 0; i < weights.length; i++) {
      double expected = (double) total * weights[i] / totalWeight;
      double d = observedCounts[i] - expected;
      chi += d * d / expected;
    }
    double p = Math.max(0, 1 - new ChiSquaredDistribution(df).cumulativeProbability(chi));
    return new Result(chi, df, p, p < ALARM_P);
  }
}
