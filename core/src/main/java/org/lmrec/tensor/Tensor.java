package org.lmrec.tensor;

import java.util.Arrays;
import java.util.Objects;

/** A dense row-major float32 array with a shape: the unit of model weights that artifacts store. */
public final class Tensor {
  private final float[] data;
  private final int[] shape;

  public Tensor(float[] data, int... shape) {
    this.data = Objects.requireNonNull(data, "data");
    this.shape = shape.clone();
    long n = 1;
    for (int s : shape) {
      if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values but data has " + data.length);
    }
  }

  /** The backing array (not copied). */
  public float[] data() {
    return data;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i];
  }

  public int size() {
    return data.length;
  }

  /** Index of the first NaN or infinite value, or -1 when all values are finite. */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) return i;
    }
    return -1;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
