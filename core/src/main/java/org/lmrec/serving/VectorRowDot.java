package org.lmrec.serving;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowDot} on the Vector API; only loaded when the module is present. */
final class VectorRowDot {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorRowDot() {}

  static float dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    int lanes = SPECIES.length();
    FloatVector acc = FloatVector.zero(SPECIES);
    int c = 0;
    for (; c + lanes <= dim; c += lanes) {
      acc = FloatVector.fromArray(SPECIES, a, aOffset + c).fma(FloatVector.fromArray(SPECIES, b, bOffset + c), acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; c < dim; c++) s += a[aOffset + c] * b[bOffset + c];
    return s;
  }
}
