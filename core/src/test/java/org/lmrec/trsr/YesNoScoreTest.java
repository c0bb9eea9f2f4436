package org.lmrec.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class YesNoScoreTest {
  @Test
  void matchesAHandComputedSoftmax() {
    // softmax(2, 0.5)[0] = e^2 / (e^2 + e^0.5) = 7.389056 / (7.389056 + 1.648721) = 0.817574
    assertThat(YesNoScore.of(2.0, 0.5)).isCloseTo(0.817574, within(1e-6));
    assertThat(YesNoScore.of(0.5, 2.0)).isCloseTo(1 - 0.817574, within(1e-6));
    assertThat(YesNoScore.of(3.0, 3.0)).isEqualTo(0.5);
  }

  @Test
  void staysFiniteForExtremeLogits() {
    assertThat(YesNoScore.of(1000, -1000)).isEqualTo(1.0);
    assertThat(YesNoScore.of(-1000, 1000)).isEqualTo(0.0);
    assertThatThrownBy(() -> YesNoScore.of(Double.NaN, 0)).hasMessageContaining("NaN");
  }

  @Test
  void ranksByTheYesProbabilityTiesInCandidateOrder() {
    List<double[]> logits = List.of(new double[] {0, 1}, new double[] {2, 0}, new double[] {1, 0}, new double[] {3, 1});
    assertThat(YesNoScore.rank(logits)).containsExactly(1, 3, 2, 0);
  }
}
