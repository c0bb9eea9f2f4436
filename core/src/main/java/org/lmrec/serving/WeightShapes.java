package org.lmrec.serving;

import java.util.Arrays;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/** Looks up serving weights and refuses a tensor whose shape does not fit the model's config. */
final class WeightShapes {
  private final TensorMap weights;

  WeightShapes(TensorMap weights) {
    this.weights = weights;
  }

  /** A [rows, cols] matrix; rows = -1 accepts any row count. */
  float[] matrix(String name, int rows, int cols) {
    Tensor t = require(name);
    if (t.rank() != 2 || (rows >= 0 && t.dim(0) != rows) || t.dim(1) != cols) {
      throw new IllegalArgumentException(
          "weight '" + name + "' has shape " + Arrays.toString(t.shape()) + " but the model config needs ["
              + (rows < 0 ? "*" : rows) + ", " + cols + "]");
    }
    return t.data();
  }

  float[] vector(String name, int size) {
    Tensor t = require(name);
    if (t.rank() != 1 || t.dim(0) != size) {
      throw new IllegalArgumentException(
          "weight '" + name + "' has shape " + Arrays.toString(t.shape()) + " but the model config needs [" + size + "]");
    }
    return t.data();
  }

  private Tensor require(String name) {
    if (!weights.contains(name)) {
      throw new IllegalArgumentException("weight '" + name + "' is missing; present: " + weights.names());
    }
    return weights.get(name);
  }
}
