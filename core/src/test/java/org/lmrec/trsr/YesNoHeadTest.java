package org.lmrec.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;

class YesNoHeadTest {
  // hidden 3: weight rows (yes, no) per input, then the bias row
  private static final YesNoHead HEAD = YesNoHead.of(new Tensor(new float[] {
    1.0f, -1.0f,
    0.5f, 2.0f,
    -2.0f, 0.25f,
    0.1f, -0.3f}, 4, 2));

  @Test
  void logitsAndScoreMatchAHandComputation() {
    float[] pooled = {0.2f, -0.4f, 1.0f};
    // l_yes = 0.2·1 + (-0.4)·0.5 + 1·(-2) + 0.1 = -1.9 ; l_no = 0.2·(-1) + (-0.4)·2 + 1·0.25 - 0.3 = -1.05
    double[] l = HEAD.logits(pooled);
    assertThat(l[YesNoHead.YES]).isCloseTo(-1.9, within(1e-6));
    assertThat(l[YesNoHead.NO]).isCloseTo(-1.05, within(1e-6));
    // softmax[yes] = e^-1.9 / (e^-1.9 + e^-1.05) = 1 / (1 + e^0.85) = 0.299432
    assertThat(HEAD.score(pooled)).isCloseTo(0.299432, within(1e-6));
  }

  @Test
  void roundTripsItsTensorAndRefusesBadOnes() {
    assertThat(YesNoHead.of(HEAD.toTensor()).score(new float[] {1, 1, 1})).isEqualTo(HEAD.score(new float[] {1, 1, 1}));
    assertThatThrownBy(() -> YesNoHead.of(new Tensor(new float[6], 2, 3))).hasMessageContaining("[hidden + 1, 2]");
    assertThatThrownBy(() -> YesNoHead.of(new Tensor(new float[] {1, Float.NaN, 0, 0}, 2, 2))).hasMessageContaining("NaN");
    assertThatThrownBy(() -> HEAD.score(new float[2])).hasMessageContaining("width 2");
  }
}
