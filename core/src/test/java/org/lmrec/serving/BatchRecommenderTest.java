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
    return randomModel(TopKSearch.exact());
  }

  static ServingModel randomModel(TopKSearch search) {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.GRU4REC).withDim(8).withBlocks(1).withMaxLen(5);
    TensorMap weights = RandomEncoderWeights.gru4Rec(cfg, ITEMS, 3);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= ITEMS; i++) ids.add("i" + i);
    return new ServingModel("v-test", cfg, weights, ids, search);
  }

  @Test
  void hnswSearchGivesTheExactAnswersOnACatalogueSmallerThanEfSearchAndSkipsSeenItems() {
    // efSearch 100 > 40 items: the graph search keeps every candidate, so it must equal the scan.
    ServingModel hnswModel = randomModel(TopKSearch.hnsw(HnswItemIndex.Params.defaults()));
    assertThat(hnswModel.hnswIndex()).isNotNull();
    assertThat(randomModel().hnswIndex()).as("exact is the default").isNull();
    List<String[]> histories = List.of(new String[] {"i1", "i2"}, new String[] {"i4", "i5", "i6", "i7", "i8", "i9", "i10"});
    List<RankedItems> exact = new BatchRecommender(randomModel(), 7).recommend(histories);
    List<RankedItems> approximate = new BatchRecommender(hnswModel, 7).recommend(histories);
    for (int i = 0; i < histories.size(); i++) {
      assertThat(approximate.get(i).itemIds()).as("history %d", i).containsExactly(exact.get(i).itemIds()).doesNotContain(histories.get(i));
      // Same dot products, summed in another order (one row at a time rather than the batch kernel).
      assertThat(approximate.get(i).scores()).usingComparatorWithPrecision(1e-5f).containsExactly(exact.get(i).scores());
    }
    assertThat(hnswModel.recommend(new int[] {1, 2}, 7)).containsExactly(randomModel().recommend(new int[] {1, 2}, 7));
  }

  @Test
  void withAnHnswIndexTheAnswerIsTheGraphsEvenWhereItMissesExactItems() {
    // A deliberately poor graph (M 2, beamWidth 1, efSearch 1): its answers differ from the scan,
    // so this shows the recommender asked the graph rather than scanning.
    ServingModel poor = randomModel(TopKSearch.hnsw(new HnswItemIndex.Params(2, 1, 1, 3)));
    BatchRecommender recommender = new BatchRecommender(poor, 7);
    int[][] histories = {{1, 2}, {4, 5, 6}, {9, 3}, {11}, {20, 21, 22}};
    boolean anyDiffers = false;
    for (int[] history : histories) {
      String[] ids = java.util.Arrays.stream(history).mapToObj(poor::itemId).toArray(String[]::new);
      RankedItems answer = recommender.recommend(List.<String[]>of(ids)).get(0);
      java.util.BitSet seen = new java.util.BitSet();
      for (int item : history) seen.set(item);
      int[] fromGraph = poor.hnswIndex().search(poor.encoder().encodeBatch(new int[][] {history})[0], 7, seen).items();
      assertThat(answer.itemIds()).containsExactly(java.util.Arrays.stream(fromGraph).mapToObj(poor::itemId).toArray(String[]::new));
      assertThat(poor.recommend(history, 7)).containsExactly(fromGraph);
      anyDiffers |= !java.util.Arrays.equals(fromGraph, randomModel().recommend(history, 7));
    }
    assertThat(anyDiffers).as("the poor graph misses some exact item").isTrue();
  }

  @Test
  void topKSearchNamesAreParsedAndOthersRefused() {
    assertThat(TopKSearch.Method.parse(" HNSW ")).isEqualTo(TopKSearch.Method.HNSW);
    assertThat(TopKSearch.Method.parse("exact")).isEqualTo(TopKSearch.Method.EXACT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopKSearch.Method.parse("faiss"))
        .hasMessage("top-K search 'faiss' is not one of exact, hnsw");
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
