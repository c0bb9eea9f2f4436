package org.lmrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The training ETA is an upper bound: the epoch bound or the time budget (plus the one epoch that crosses it), whichever ends first. */
class TrainingEtaTest {
  @Test
  void withoutABudgetTheEpochsLeftAtTheMeanPaceBoundTheRun() {
    TrainingEta eta = new TrainingEta(30, 0);
    assertThat(eta.secondsLeft(3, 30)).isEqualTo(270.0);
    assertThat(eta.describe(3, 30)).isEqualTo("epoch 3/30, 30 s, at most 4 min 30 s left");
    assertThat(eta.secondsLeft(30, 300)).isZero();
  }

  @Test
  void aBudgetShorterThanTheEpochsLeftBoundsTheRunToTheBudgetAndTheEpochThatCrossesIt() {
    TrainingEta eta = new TrainingEta(40, 120);
    // 2 epochs in 50 s: 38 more would take 950 s, but the run stops after the epoch that crosses 120 s.
    assertThat(eta.secondsLeft(2, 50)).isEqualTo(70 + 25.0);
    assertThat(eta.describe(2, 50)).isEqualTo("epoch 2/40, 50 s, at most 1 min 35 s left (budget 2 min)");
    // Past the budget the run stops now.
    assertThat(eta.secondsLeft(5, 125)).isZero();
    // Epochs ending before the budget: the epoch bound is the smaller one.
    assertThat(new TrainingEta(4, 600).secondsLeft(2, 20)).isEqualTo(20.0);
  }

  @Test
  void beforeTheFirstEpochThereIsNoPaceYet() {
    assertThat(new TrainingEta(10, 60).left(0, 0)).isEqualTo("ETA after the first epoch (budget 1 min)");
  }
}
