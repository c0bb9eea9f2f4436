package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Thin wrappers over DJL's engine-level operators. DJL puts an op's result in the manager of the
 * array the op is called on, so every helper here calls ops on per-step arrays, never on
 * long-lived weights, and attaches anything derived from a weight to the step's manager.
 */
public final class DjlOps {
  private DjlOps() {}

  /**
   * A float array copied into memory that PyTorch allocated and owns. DJL's
   * {@code NDManager.create(float[])} and {@code NDArray.set(Buffer)} both point the tensor at a JVM
   * direct buffer without copying (torch::from_blob / set_): its alignment varies from run to run
   * (MKL's rounding follows it, so training was not bit-reproducible) and the memory lives only as
   * long as the Java wrapper, not as long as the tensor. So the JVM-backed tensor is cloned and
   * dropped at once.
   */
  public static NDArray floats(NDManager manager, float[] data, Shape shape) {
    try (NDArray jvmBacked = manager.create(data, shape)) {
      return jvmBacked.duplicate();
    }
  }

  /** Int64 indices copied into PyTorch-owned memory (see {@link #floats}). */
  public static NDArray longs(NDManager manager, long[] data, Shape shape) {
    try (NDArray jvmBacked = manager.create(data, shape)) {
      return jvmBacked.duplicate();
    }
  }

  /**
   * A scalar for arithmetic inside the autograd graph. DJL's {@code mul(Number)} / {@code div(Number)}
   * wrap the number in a JVM-backed tensor and close it right after the op, but autograd keeps that
   * tensor to compute the backward pass: the gradient then reads freed memory. That produced rare,
   * irreproducible NaN losses here. Scalars built by this method live in PyTorch memory for as long
   * as the graph needs them.
   */
  public static NDArray scalar(NDManager manager, float value) {
    return floats(manager, new float[] {value}, new Shape());
  }

  /** A float tensor copied into PyTorch-owned memory (see {@link #floats}). */
  public static NDArray tensor(NDManager manager, org.lmrec.tensor.Tensor t) {
    long[] shape = new long[t.rank()];
    for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
    return floats(manager, t.data(), new Shape(shape));
  }

  /** A copy of an array's values as a float32 {@link org.lmrec.tensor.Tensor}. */
  public static org.lmrec.tensor.Tensor toTensor(NDArray a) {
    NDArray f = a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? a : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    long[] s = f.getShape().getShape();
    int[] shape = new int[s.length];
    for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
    return new org.lmrec.tensor.Tensor(f.toFloatArray(), shape);
  }

  public static NDArray embed(NDArray indices, NDArray table) {
    return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  public static NDArray linear(NDArray x, NDArray weightInOut, NDArray bias) {
    return x.matMul(weightInOut).add(bias);
  }

  public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps)
        .singletonOrThrow();
  }

  public static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0f) return x;
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }

  public static NDArray transposed(NDArray weight, NDManager step) {
    NDArray t = weight.transpose();
    t.attach(step);
    return t;
  }

  public static NDArray rows(NDArray weight, String index, NDManager step) {
    NDArray r = weight.get(index);
    r.attach(step);
    return r;
  }
}
