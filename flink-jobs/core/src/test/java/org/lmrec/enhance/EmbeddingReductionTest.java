package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;

class EmbeddingReductionTest {
  @Test
  void keepsTheDominantDirectionsAndTheRequestedScale() {
    // 200 items in 6-D whose variance lies in two directions (plus small noise): PCA to 2 keeps
    // the pairwise geometry up to the overall scale.
    Random r = new Random(4);
    int n = 200;
    float[] data = new float[(n + 1) * 6];
    for (int i = 1; i <= n; i++) {
      double a = r.nextGaussian() * 3;
      double b = r.nextGaussian();
      double[] v = {a, a, b, -b, 0, 0};
      for (int j = 0; j < 6; j++) data[i * 6 + j] = (float) (v[j] + r.nextGaussian() * 0.01 + 10);
    }
    Tensor reduced = EmbeddingReduction.pca(new Tensor(data, n + 1, 6), 2, 0.05);
    assertThat(reduced.shape()).containsExactly(n + 1, 2);
    assertThat(reduced.data()[0]).isZero();
    assertThat(reduced.data()[1]).isZero();
    assertThat(EmbeddingReduction.std(reduced)).isCloseTo(0.05, offset(0.002));
    double ratio = dist(reduced, 1, 2) / dist6(data, 1, 2);
    for (int k = 3; k < 40; k++) assertThat(dist(reduced, 1, k) / dist6(data, 1, k)).isCloseTo(ratio, offset(ratio * 0.02));
  }

  @Test
  void refusesImpossibleReductions() {
    Tensor t = new Tensor(new float[4 * 3], 4, 3);
    assertThatThrownBy(() -> EmbeddingReduction.pca(t, 5, 1)).hasMessageContaining("larger dim");
    assertThatThrownBy(() -> EmbeddingReduction.pca(t, 3, 0)).hasMessageContaining("positive");
  }

  private static double dist(Tensor t, int a, int b) {
    int w = t.dim(1);
    double s = 0;
    for (int j = 0; j < w; j++) {
      double d = t.data()[a * w + j] - t.data()[b * w + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static double dist6(float[] data, int a, int b) {
    double s = 0;
    for (int j = 0; j < 6; j++) {
      double d = data[a * 6 + j] - data[b * 6 + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
