package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lmrec.train.Trainer;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingReport;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/**
 * Each backbone, with each loss, must learn a deterministic successor rule: after item i comes
 * item (i mod 40) + 1. A model that does not learn cannot pass: chance would rank the true next
 * item first about once in 40.
 */
class SequentialModelLearningTest {
  static final int ITEMS = 40;

  static int[][] cyclicSequences(int users, long seed) {
    Random r = new Random(seed);
    int[][] seqs = new int[users][];
    for (int u = 0; u < users; u++) {
      int len = 8 + r.nextInt(12);
      int item = 1 + r.nextInt(ITEMS);
      seqs[u] = new int[len];
      for (int t = 0; t < len; t++) {
        seqs[u][t] = item;
        item = item % ITEMS + 1;
      }
    }
    return seqs;
  }

  @ParameterizedTest
  @CsvSource({"SASREC,CE", "SASREC,BCE", "GRU4REC,CE", "GRU4REC,BCE"})
  void learnsTheSuccessorRule(ModelKind kind, LossType loss) {
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(32).withMaxLen(20).withLoss(loss).withDropout(0.1f).withBatchSize(64).withLearningRate(5e-3f);
    int[][] train = cyclicSequences(300, 1);
    int[][] probes = {{5, 6, 7}, {39, 40}, {12}, {20, 21, 22, 23, 24, 25}};
    int[] expected = {8, 1, 13, 26};
    try (SequentialModel model = SequentialModels.create(cfg, ITEMS, null)) {
      TrainingReport report =
          new Trainer(new TrainingOptions(100, 5, 8, false))
              .fit(model, train, m -> top1Accuracy(m, probes, expected));
      assertThat(report.epochs().get(0).meanLoss()).isGreaterThan(report.epochs().get(report.epochs().size() - 1).meanLoss());
      assertThat(top1Accuracy(model, probes, expected)).isEqualTo(1.0);
    }
  }

  static double top1Accuracy(SequentialModel m, int[][] probes, int[] expected) {
    float[][] scores = m.scoreAll(probes);
    int hits = 0;
    for (int i = 0; i < probes.length; i++) {
      int best = 1;
      for (int item = 2; item <= ITEMS; item++) if (scores[i][item] > scores[i][best]) best = item;
      if (best == expected[i]) hits++;
    }
    return hits / (double) probes.length;
  }
}
