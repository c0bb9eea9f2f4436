package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Thin wrappers over DJL's engine-level operators. DJL puts an op's result in the manager of the
 * array the op is called on, so every helper here calls ops on per-step arrays, never on
 * long-lived weights, and attaches anything derived from a weight to the step's manager.
 */
final class DjlOps {
  private DjlOps() {}

  /**
   * A float array in memory that PyTorch allocated and owns. {@code NDManager.create(float[])}
   * instead wraps a JVM direct buffer without copying: its alignment varies from run to run
   * (which changes MKL's rounding, so training was not bit-reproducible) and its lifetime hangs on
   * the Java wrapper rather than on the tensor.
   */
  static NDArray floats(NDManager manager, float[] data, Shape shape) {
    NDArray a = manager.zeros(shape, DataType.FLOAT32);
    a.set(FloatBuffer.wrap(data));
    return a;
  }

  /** Int64 indices in PyTorch-owned memory (see {@link #floats}). */
  static NDArray longs(NDManager manager, long[] data, Shape shape) {
    NDArray a = manager.zeros(shape, DataType.INT64);
    a.set(LongBuffer.wrap(data));
    return a;
  }

  static NDArray embed(NDArray indices, NDArray table) {
    return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  static NDArray linear(NDArray x, NDArray weightInOut, NDArray bias) {
    return x.matMul(weightInOut).add(bias);
  }

  static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps)
        .singletonOrThrow();
  }

  static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0f) return x;
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }

  static NDArray transposed(NDArray weight, NDManager step) {
    NDArray t = weight.transpose();
    t.attach(step);
    return t;
  }

  static NDArray rows(NDArray weight, String index, NDManager step) {
    NDArray r = weight.get(index);
    r.attach(step);
    return r;
  }
}
