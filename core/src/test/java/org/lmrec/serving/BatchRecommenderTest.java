package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.TensorMap;

class BatchRecommenderTest {
  static final int ITEMS = 40;

  /** A GRU4Rec serving model with random weights: enough to check the batching logic. */
  static ServingModel randomModel() {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.GRU4REC).withDim(8).withBlocks(1).withMaxLen(5);
    TensorMap weights = RandomEncoderWeights.gru4Rec(cfg, ITEMS, 3);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= ITEMS; i++) ids.add("i" + i);
    return new ServingModel("v-test", cfg, weights, ids);
  }

  @Test
  void batchAnswersEqualOneByOneAnswersAndSkipUnknownItems() {
    ServingModel model = randomModel();
    BatchRecommender batch = new BatchRecommender(model, 7);
    List<String[]> histories =
        List.of(new String[] {"i1", "i2"}, new String[] {"ghost", "i9", "i3", "ghost2"}, new String[] {"i4", "i5", "i6", "i7", "i8", "i9", "i10"});
    List<RankedItems> answers = batch.recommend(histories);

    assertThat(answers.get(0).unknownItems()).isZero();
    assertThat(answers.get(1).unknownItems()).isEqualTo(2);
    int[][] indexed = {{1, 2}, {9, 3}, {4, 5, 6, 7, 8, 9, 10}};
    for (int i = 0; i < indexed.length; i++) {
      int[] expected = model.recommend(indexed[i], 7);
      String[] expectedIds = new String[expected.length];
      for (int j = 0; j < expected.length; j++) expectedIds[j] = model.itemId(expected[j]);
      assertThat(answers.get(i).itemIds()).as("history %d", i).containsExactly(expectedIds);
      assertThat(answers.get(i).itemIds()).doesNotContain(histories.get(i));
      float[] s = answers.get(i).scores();
      for (int j = 1; j < s.length; j++) assertThat(s[j]).isLessThanOrEqualTo(s[j - 1]);
    }
  }

  @Test
  void historyWithoutKnownItemsGetsAnEmptyListAndItsUnknownCount() {
    List<RankedItems> answers = new BatchRecommender(randomModel(), 5).recommend(List.of(new String[] {"x", "y"}, new String[0]));
    assertThat(answers.get(0).size()).isZero();
    assertThat(answers.get(0).unknownItems()).isEqualTo(2);
    assertThat(answers.get(1).size()).isZero();
  }
}
