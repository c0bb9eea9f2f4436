package org.lmrec.lm;

import java.util.Arrays;

/**
 * One tensor of an ONNX graph: an initializer, or the value of a {@code Constant} node. Float
 * tensors keep their values in {@link #floats}, integer tensors in {@link #longs}; values the
 * reader was told to skip are {@code null} (only the name and shape are then known).
 */
public record OnnxInitializer(String name, long[] dims, int dataType, float[] floats, long[] longs) {
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;

  public int[] intDims() {
    int[] d = new int[dims.length];
    for (int i = 0; i < d.length; i++) d[i] = Math.toIntExact(dims[i]);
    return d;
  }

  long elementCount() {
    long n = 1;
    for (long d : dims) n *= d;
    return n;
  }

  /** The single value of a scalar (or one-element) numeric tensor, as a double. */
  double scalarValue() {
    if (floats != null && floats.length == 1) return floats[0];
    if (longs != null && longs.length == 1) return longs[0];
    throw new IllegalStateException("tensor " + name + " is not a loaded one-element tensor (shape " + Arrays.toString(dims) + ")");
  }

  @Override
  public String toString() {
    return "OnnxInitializer[" + name + " " + Arrays.toString(dims) + " type " + dataType + "]";
  }
}
