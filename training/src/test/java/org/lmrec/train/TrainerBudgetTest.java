package org.lmrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;

/** A real (small) SASRec training with far more epochs than its time budget allows stops at the budget. */
class TrainerBudgetTest {
  @Test
  // A separate thread, so that a training that ignores its budget (100,000 epochs, not
  // interruptible) fails the test instead of hanging it; training off the thread that started the
  // engine is also what an embedding service or a Flink task does (PyTorch's grad mode is per thread).
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void trainingStopsAfterTheEpochThatCrossesItsTimeBudget() {
    int items = 40;
    int[][] train = new int[300][];
    for (int u = 0; u < train.length; u++) {
      train[u] = new int[12];
      for (int t = 0; t < train[u].length; t++) train[u][t] = 1 + (u + t) % items;
    }
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withMaxLen(12).withBatchSize(32).withLoss(LossType.CE);
    TrainingOptions options = new TrainingOptions(100_000, 1, 100_000, true).withMaxSeconds(2);
    try (SequentialModel m = SequentialModels.create(cfg, items, null)) {
      TrainingReport report = new Trainer(options).fit(m, train, x -> 0.0);
      double slowestEpoch = report.epochs().stream().mapToDouble(TrainingReport.EpochStats::trainSeconds).max().orElseThrow();
      assertThat(report.epochs()).hasSizeLessThan(100_000).isNotEmpty();
      // Stopped after the epoch that crossed 2 s: about one epoch (and its validation) later; the
      // slack is for a busy CI machine (GC, descheduling), far below what 100,000 epochs would take.
      assertThat(report.totalSeconds()).isGreaterThanOrEqualTo(2.0).isLessThan(2.0 + 2 * slowestEpoch + 10.0);
    }
  }
}
