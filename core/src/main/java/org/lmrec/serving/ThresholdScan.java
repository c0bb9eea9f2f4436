package org.lmrec.serving;

/**
 * Finds the next score above a threshold (or NaN). Top-K spends almost all its time here: once the
 * heap is full, nearly every item of a large catalogue loses to its minimum, so the scan runs 16
 * lanes at a time on the Vector API when the JVM has it.
 */
final class ThresholdScan {
  static final boolean VECTOR = ItemCatalogue.Kernel.VECTOR.available()
      && !"scalar".equalsIgnoreCase(System.getProperty(ItemCatalogue.KERNEL_PROPERTY, ""));

  private ThresholdScan() {}

  /** The first index i >= from with scores[i] > threshold or NaN, or scores.length when none. */
  static int next(float[] scores, int from, float threshold) {
    return VECTOR ? VectorThresholdScan.next(scores, from, threshold) : scalar(scores, from, threshold);
  }

  static int scalar(float[] scores, int from, float threshold) {
    for (int i = from; i < scores.length; i++) {
      float s = scores[i];
      if (s > threshold || s != s) return i;
    }
    return scores.length;
  }
}
