package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lmrec.tensor.TensorMap;
import org.lmrec.train.Trainer;
import org.lmrec.train.TrainingOptions;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/** The same data, configuration and seed must give bit-identical weights; another seed must not. */
class TrainingDeterminismTest {
  @Test
  void sameSeedSameWeights() {
    int[][] train = SequentialModelLearningTest.cyclicSequences(200, 3);
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withMaxLen(16).withBatchSize(32).withLoss(LossType.BCE);
    TensorMap a = train(cfg, train);
    TensorMap b = train(cfg, train);
    TensorMap c = train(cfg.withSeed(7), train);
    for (String name : a.names()) {
      assertThat(b.get(name).data()).as(name).containsExactly(a.get(name).data());
    }
    assertThat(c.get("item_embedding").data()).isNotEqualTo(a.get("item_embedding").data());
  }

  private static TensorMap train(ModelConfig cfg, int[][] train) {
    try (SequentialModel m = SequentialModels.create(cfg, SequentialModelLearningTest.ITEMS, null)) {
      new Trainer(new TrainingOptions(3, 3, 1, false)).fit(m, train, x -> 0.0);
      return m.exportWeights();
    }
  }
}
