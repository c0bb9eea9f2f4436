package org.lmrec.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import org.lmrec.tensor.Tensor;

/**
 * Array helpers for the DJL rebuild. Values from the JVM are copied into memory PyTorch owns:
 * {@code NDManager.create(float[])} only wraps a JVM direct buffer (torch::from_blob), which lives
 * as long as the Java object, not the tensor, and whose alignment varies between runs. Ops are
 * always called on per-step arrays, because DJL puts a result in the manager of the array an op is
 * called on.
 */
final class DjlArrays {
  private DjlArrays() {}

  static NDArray floats(NDManager manager, float[] data, Shape shape) {
    try (NDArray jvmBacked = manager.create(data, shape)) {
      return jvmBacked.duplicate();
    }
  }

  static NDArray longs(NDManager manager, long[] data, Shape shape) {
    try (NDArray jvmBacked = manager.create(data, shape)) {
      return jvmBacked.duplicate();
    }
  }

  static NDArray tensor(NDManager manager, Tensor t) {
    long[] shape = new long[t.rank()];
    for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
    return floats(manager, t.data(), new Shape(shape));
  }

  /**
   * A scalar that lives in PyTorch memory for as long as the autograd graph needs it ({@code
   * mul(Number)} frees its temporary scalar right after the op, while backward still reads it).
   */
  static NDArray scalar(NDManager manager, float value) {
    return floats(manager, new float[] {value}, new Shape());
  }

  static NDArray embedding(NDArray indices, NDArray table) {
    return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return x.getNDArrayInternal().layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps).singletonOrThrow();
  }

  static NDArray dropout(NDArray x, float rate) {
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }

  static Tensor toTensor(NDArray a) {
    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    long[] s = f.getShape().getShape();
    int[] shape = new int[s.length];
    for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
    return new Tensor(f.toFloatArray(), shape);
  }
}
