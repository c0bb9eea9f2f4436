package org.lmrec.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QualityGateTest {
  static SliceEvaluation.Score score(double ndcg) {
    return new SliceEvaluation.Score(ndcg, ndcg * 2, 100, 100);
  }

  @Test
  void passesWithinTheMarginAndRefusesBeyondIt() {
    QualityGate gate = new QualityGate(0.05);
    assertThat(gate.decide(score(0.095), score(0.1), "v1").passed()).isTrue();
    assertThat(gate.decide(score(0.2), score(0.1), "v1").passed()).isTrue();
    QualityGate.Decision refused = gate.decide(score(0.094), score(0.1), "v1");
    assertThat(refused.passed()).isFalse();
    assertThat(refused.reason()).contains("0.09400").contains("v1").contains("0.10000");
    assertThat(new QualityGate(0).decide(score(0.0999), score(0.1), "v1").passed()).isFalse();
  }

  @Test
  void withNothingServingTheCandidatePasses() {
    QualityGate.Decision d = new QualityGate(0.02).decide(score(0.0), null, null);
    assertThat(d.passed()).isTrue();
    assertThat(d.serving()).isNull();
  }

  @Test
  void refusesAMarginOutsideZeroToOne() {
    assertThatThrownBy(() -> new QualityGate(1.0)).hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> new QualityGate(-0.1)).hasMessageContaining("[0, 1)");
  }
}
