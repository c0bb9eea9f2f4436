package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * Named DJL arrays of one model: trainable parameters (with gradients, updated by Adam) and frozen
 * constants. Initial values come from a seeded {@link Random} on the JVM side, so the same seed
 * gives the same initial model whatever the engine's own random state.
 */
final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final Random random;
  private final Map<String, NDArray> trainable = new LinkedHashMap<>();
  private final Map<String, NDArray> frozen = new LinkedHashMap<>();
  private final Optimizer optimizer;

  ParameterStore(NDManager parent, long seed, float learningRate, float beta2) {
    this.manager = parent.newSubManager();
    this.random = new Random(seed);
    this.optimizer =
        Adam.builder()
            .optLearningRateTracker(Tracker.fixed(learningRate))
            .optBeta1(0.9f)
            .optBeta2(beta2)
            .optEpsilon(1e-8f)
            .build();
  }

  NDManager manager() {
    return manager;
  }

  /** Xavier-normal initialised trainable matrix (std = sqrt(2 / (fanIn + fanOut))), as SASRec's reference. */
  NDArray xavier(String name, int rows, int cols) {
    double std = org.lmrec.model.EmbeddingInit.xavierStd(rows, cols);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = (float) (random.nextGaussian() * std);
    return trainable(name, new Tensor(v, rows, cols));
  }

  NDArray constantFill(String name, int size, float value) {
    float[] v = new float[size];
    java.util.Arrays.fill(v, value);
    return trainable(name, new Tensor(v, size));
  }

  NDArray trainable(String name, Tensor initial) {
    NDArray a = create(initial);
    a.setRequiresGradient(true);
    trainable.put(name, a);
    return a;
  }

  NDArray frozen(String name, Tensor value) {
    NDArray a = create(value);
    frozen.put(name, a);
    return a;
  }

  private NDArray create(Tensor t) {
    long[] shape = new long[t.rank()];
    for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
    return DjlOps.floats(manager, t.data(), new Shape(shape));
  }

  /** One Adam step on every trainable array, then clears the gradients (PyTorch accumulates them). */
  void step() {
    for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
      NDArray grad = e.getValue().getGradient();
      optimizer.update(e.getKey(), e.getValue(), grad);
      grad.subi(grad);
      grad.close();
    }
  }

  TensorMap exportTrainable() {
    TensorMap m = new TensorMap();
    trainable.forEach((name, a) -> m.put(name, toTensor(a)));
    return m;
  }

  void restoreTrainable(TensorMap state) {
    for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
      Tensor t = state.get(e.getKey());
      NDArray target = e.getValue();
      if (!target.getShape().equals(new Shape(toLong(t.shape())))) {
        throw new IllegalArgumentException("state tensor " + e.getKey() + " has shape " + t + " but the model has " + target.getShape());
      }
      // In place, so the tensor keeps PyTorch-owned storage, and through a detached view: PyTorch
      // refuses in-place writes to a leaf that requires grad while grad mode is on, and grad mode is
      // per thread, on by default everywhere but the thread DJL's engine started on.
      try (NDArray copy = DjlOps.floats(manager, t.data(), target.getShape()); NDArray view = target.stopGradient()) {
        view.subi(view).addi(copy);
      }
    }
  }

  static Tensor toTensor(NDArray a) {
    return DjlOps.toTensor(a);
  }

  private static long[] toLong(int[] s) {
    long[] l = new long[s.length];
    for (int i = 0; i < s.length; i++) l[i] = s[i];
    return l;
  }

  @Override
  public void close() {
    manager.close();
  }
}
