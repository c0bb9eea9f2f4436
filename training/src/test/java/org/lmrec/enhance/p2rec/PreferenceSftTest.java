package org.lmrec.enhance.p2rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.tensor.Tensor;

/** The fine-tuning loss against a computation by hand, and the item-wise variant training. */
class PreferenceSftTest {
  private static TrainableLm lm;
  private static Dataset data;
  private static List<String> texts;
  private static PreferencePriors priors;

  @BeforeAll
  static void setUp() {
    lm = new TrainableLm(LmCheckpoint.defaultMiniLm(), LoraConfig.defaults());
    data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(40).withItems(60));
    texts = ItemTexts.of(data, 40);
    int[] category = new int[data.numItems() + 1];
    category[0] = -1;
    for (int i = 1; i <= data.numItems(); i++) category[i] = i % 4;
    priors = PreferencePriors.of(data.sequences(), new LatentCategories(category, new Tensor(new float[4], 4, 1)));
  }

  @AfterAll
  static void tearDown() {
    lm.close();
  }

  @Test
  void userLevelLossesMatchAHandComputation() {
    for (SftLoss kind : SftLoss.values()) {
      P2RecConfig cfg = P2RecConfig.defaults().withCategories(4).withLoss(kind).withTokens(48, 32);
      PreferenceSft sft = new PreferenceSft(cfg, lm, texts, 4, null);
      List<Integer> users = List.of(0, 1, 2);
      float actual;
      try (NDManager step = lm.manager().newSubManager()) {
        actual = sft.loss(users, data.sequences(), priors, step, false).getFloat();
      }
      float[][] pooled = lm.embed(
          users.stream().map(u -> UserTexts.of(data.sequence(u), texts, 48)).toList(), 48, true, 8, null);
      Tensor head = sft.head(); // [H + 1, K]: weight rows, then the bias
      int h = lm.hiddenSize();
      double expected = 0;
      for (int b = 0; b < users.size(); b++) {
        double[] logits = new double[4];
        for (int k = 0; k < 4; k++) {
          logits[k] = head.data()[h * 4 + k];
          for (int j = 0; j < h; j++) logits[k] += pooled[b][j] * head.data()[j * 4 + k];
        }
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        double z = 0;
        for (double l : logits) z += Math.exp(l - max);
        float[] g = priors.of(users.get(b));
        for (int k = 0; k < 4; k++) {
          double p = Math.exp(logits[k] - max) / z;
          expected += kind == SftLoss.MSE ? (p - g[k]) * (p - g[k]) / (4.0 * users.size()) : -g[k] * Math.log(p) / users.size();
        }
      }
      assertThat((double) actual).as(kind.name()).isCloseTo(expected, offset(Math.abs(expected) * 1e-4 + 1e-7));
    }
  }

  @Test
  void itemWiseFineTuningMovesLoraAndHead() {
    P2RecConfig cfg = P2RecConfig.defaults().withCategories(4).withMode(SftMode.ITEM_WISE).withTokens(48, 24).withTraining(1, 8, 1e-3f, 16);
    try (TrainableLm fresh = new TrainableLm(LmCheckpoint.defaultMiniLm(), LoraConfig.defaults())) {
      PreferenceSft sft = new PreferenceSft(cfg, fresh, texts, 4, null);
      Tensor headBefore = sft.head();
      SftReport report = sft.train(data.sequences(), priors);
      assertThat(report.users()).isEqualTo(16);
      assertThat(report.epochLosses()).hasSize(1).allSatisfy(l -> assertThat(l).isFinite().isPositive());
      assertThat(sft.head().data()).isNotEqualTo(headBefore.data());
      assertThat(fresh.loraWeights().isIdentity()).as("LoRA B left zero").isFalse();
    }
  }
}
