package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SoftContrastiveLossTest {
  @Test
  void matchesAHandComputedCase() {
    // X = [[1,0],[0,1]], Y = [[1,0],[1,1]], τ = 2.
    // logits = X·Yᵀ/τ = [[0.5,0.5],[0,0.5]]; X·Xᵀ + Y·Yᵀ = [[2,1],[1,3]] → /2·τ = [[2,1],[1,3]].
    // targets rows: softmax([2,1]) = [0.731059,0.268941], softmax([1,3]) = [0.119203,0.880797].
    // rows CE: row0 = −(0.731059·ln .5 + 0.268941·ln .5) = 0.693147;
    //   row1: log softmax([0,0.5]) = [−0.974077,−0.474077] → 0.119203·0.974077 + 0.880797·0.474077 = 0.533678.
    // columns: logitsᵀ = [[0.5,0],[0.5,0.5]], targetsᵀ = [[0.731059,0.119203],[0.268941,0.880797]]:
    //   row0: log softmax([0.5,0]) = [−0.474077,−0.974077] → 0.731059·0.474077 + 0.119203·0.974077 = 0.462691;
    //   row1: −(0.268941 + 0.880797)·ln .5 = 0.796938.
    // loss = ((0.693147 + 0.533678)/2 + (0.462691 + 0.796938)/2) / 2 = 0.621614.
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray x = DjlOps.floats(m, new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray y = DjlOps.floats(m, new float[] {1, 0, 1, 1}, new Shape(2, 2));
      float loss = SoftContrastiveLoss.of(x, y, DjlOps.scalar(m, 2f)).getFloat();
      assertThat((double) loss).isCloseTo(0.621614, offset(2e-6));
    }
  }

  @Test
  void temperatureIsLearnable() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray x = DjlOps.floats(m, new float[] {1, 0, 0, 1, 0.5f, 0.5f}, new Shape(3, 2));
      NDArray y = DjlOps.floats(m, new float[] {0.9f, 0.1f, 0.2f, 0.8f, 0.4f, 0.6f}, new Shape(3, 2));
      NDArray tau = DjlOps.scalar(m, 3f);
      tau.setRequiresGradient(true);
      try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
        c.backward(SoftContrastiveLoss.of(x, y, tau));
      }
      float grad = tau.getGradient().getFloat();
      assertThat(grad).isFinite().isNotZero();
    }
  }
}
