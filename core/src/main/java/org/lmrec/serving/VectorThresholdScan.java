package org.lmrec.serving;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ThresholdScan} on the Vector API; only loaded when the module is present. */
final class VectorThresholdScan {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorThresholdScan() {}

  static int next(float[] scores, int from, float threshold) {
    int lanes = SPECIES.length();
    int i = from;
    for (; i + lanes <= scores.length; i += lanes) {
      FloatVector v = FloatVector.fromArray(SPECIES, scores, i);
      VectorMask<Float> hit = v.compare(VectorOperators.GT, threshold).or(v.test(VectorOperators.IS_NAN));
      if (hit.anyTrue()) return i + hit.firstTrue();
    }
    return ThresholdScan.scalar(scores, i, threshold);
  }
}
