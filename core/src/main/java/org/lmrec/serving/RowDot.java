package org.lmrec.serving;

/**
 * Dot product of a table row with a vector, for the HNSW index: the graph search is a chain of
 * single dot products, so this is where its time goes. 16 lanes at a time on the Vector API when
 * the JVM has it (Lucene 9 only vectorises its own on Java 20+), plain loops otherwise.
 */
final class RowDot {
  private static final boolean VECTOR = ThresholdScan.VECTOR;

  private RowDot() {}

  /** Sum over c < dim of a[aOffset + c] * b[bOffset + c]. */
  static float dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    return VECTOR ? VectorRowDot.dot(a, aOffset, b, bOffset, dim) : scalar(a, aOffset, b, bOffset, dim);
  }

  static float scalar(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int c = 0;
    for (; c + 3 < dim; c += 4) {
      s0 += a[aOffset + c] * b[bOffset + c];
      s1 += a[aOffset + c + 1] * b[bOffset + c + 1];
      s2 += a[aOffset + c + 2] * b[bOffset + c + 2];
      s3 += a[aOffset + c + 3] * b[bOffset + c + 3];
    }
    for (; c < dim; c++) s0 += a[aOffset + c] * b[bOffset + c];
    return (s0 + s1) + (s2 + s3);
  }
}
