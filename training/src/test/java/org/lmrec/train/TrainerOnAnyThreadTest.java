package org.lmrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.tensor.TensorMap;

/**
 * Training on a thread other than the one DJL's engine started on (a service's worker, a Flink
 * task) ends with the best epoch's weights restored, as on the main thread: PyTorch's grad mode is
 * per thread, and on by default there.
 */
class TrainerOnAnyThreadTest {
  @Test
  void restoresTheBestEpochOnAFreshThread() throws Exception {
    int items = 30;
    int[][] train = new int[120][];
    for (int u = 0; u < train.length; u++) {
      train[u] = new int[10];
      for (int t = 0; t < train[u].length; t++) train[u][t] = 1 + (u * 7 + t) % items;
    }
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(8).withMaxLen(10).withBatchSize(32).withLoss(LossType.CE);
    // The engine starts on this thread (as in a suite or a service, where something else used it first).
    try (SequentialModel first = SequentialModels.create(cfg, items, null)) {
      assertThat(first.exportWeights().names()).contains("item_embedding");
    }
    ExecutorService fresh = Executors.newSingleThreadExecutor();
    try {
      Future<TensorMap[]> run = fresh.submit(() -> {
        try (SequentialModel m = SequentialModels.create(cfg, items, null)) {
          List<TensorMap> perEpoch = new ArrayList<>();
          double[] scores = {1.0, 0.5, 0.2}; // the first epoch is the best
          TrainingReport report = new Trainer(new TrainingOptions(3, 1, 10, false))
              .fit(m, train, model -> {
                perEpoch.add(model.exportWeights());
                return scores[perEpoch.size() - 1];
              });
          assertThat(report.bestEpoch()).isEqualTo(1);
          return new TensorMap[] {perEpoch.get(0), perEpoch.get(2), m.exportWeights()};
        }
      });
      TensorMap[] w = run.get(120, TimeUnit.SECONDS);
      assertThat(w[1].get("item_embedding").data()).as("training moved the weights after epoch 1").isNotEqualTo(w[0].get("item_embedding").data());
      for (String name : w[0].names()) {
        assertThat(w[2].get(name).data()).as(name + " restored to epoch 1's").isEqualTo(w[0].get(name).data());
      }
    } finally {
      fresh.shutdownNow();
    }
  }
}
