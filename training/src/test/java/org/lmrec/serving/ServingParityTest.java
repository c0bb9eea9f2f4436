package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.Trainer;
import org.lmrec.train.TrainingOptions;

/**
 * Training and serving must agree: a DJL model, written as an artifact and read back by the
 * pure-Java scorer, gives the same scores (within 1e-4) and the same top-10 for the same history.
 */
class ServingParityTest {
  static final int ITEMS = 120;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"SASREC,2,2,ID", "SASREC,1,1,ADAPTER", "SASREC,1,2,FROZEN", "GRU4REC,2,1,ID", "GRU4REC,1,1,TRAINABLE", "SASREC,1,1,RAT", "GRU4REC,1,1,RAT"})
  void javaScorerReproducesTheDjlModel(ModelKind kind, int blocks, int heads, String init) throws Exception {
    ModelConfig cfg =
        ModelConfig.defaults(kind).withDim(16).withBlocks(blocks).withHeads(heads).withMaxLen(12).withBatchSize(32).withLoss(LossType.CE);
    Random r = new Random(7);
    int[][] train = new int[80][];
    for (int u = 0; u < train.length; u++) {
      train[u] = new int[3 + r.nextInt(25)];
      for (int t = 0; t < train[u].length; t++) train[u][t] = 1 + r.nextInt(ITEMS);
    }
    EmbeddingInit embeddings = switch (init) {
      case "ADAPTER" -> new EmbeddingInit(randomTable(r, 24), EmbeddingInit.Mode.ADAPTER);
      case "RAT" -> new EmbeddingInit(randomTable(r, 24), EmbeddingInit.Mode.ADAPTER,
          org.lmrec.model.ItemAdapter.twoLayer(12, org.lmrec.model.ItemAdapter.Activation.RELU),
          new org.lmrec.model.ItemAlignment(randomTable(r, 16), 0.5f, 2f, 64));
      case "TRAINABLE" -> new EmbeddingInit(randomTable(r, 16), EmbeddingInit.Mode.TRAINABLE);
      case "FROZEN" -> new EmbeddingInit(randomTable(r, 16), EmbeddingInit.Mode.FROZEN);
      default -> null;
    };
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= ITEMS; i++) ids.add("item-" + i);

    int[][] histories = {{5}, {1, 2, 3}, train[3], train[10], longHistory(r, 30)};
    float[][] expected;
    ServingModel serving;
    try (SequentialModel model = SequentialModels.create(cfg, ITEMS, embeddings)) {
      new Trainer(new TrainingOptions(3, 3, 1, false)).fit(model, train, m -> 0.0);
      expected = model.scoreAll(histories);
      var artifact =
          ArtifactWriter.write(
              dir, "v1", kind.id(), cfg.toMap(), model.exportWeights(), ids,
              new TrainingDataInfo("random", train.length, ITEMS, 1000, null, null, "test"), Map.of(), Map.of());
      serving = ServingModel.fromArtifact(ArtifactReader.load(artifact.dir(), artifact.manifestSha256()));
    }
    float[][] actual = serving.scoreAll(histories);
    for (int i = 0; i < histories.length; i++) {
      for (int item = 1; item <= ITEMS; item++) {
        assertThat(actual[i][item]).as("query %d item %d", i, item).isCloseTo(expected[i][item], org.assertj.core.data.Offset.offset(1e-4f));
      }
      BitSet none = new BitSet();
      assertThat(TopK.select(actual[i], 10, none)).isEqualTo(TopK.select(expected[i], 10, none));
    }
    assertStreamingAnswersMatchTheDjlModel(serving, histories, expected);
  }

  /**
   * What the streaming operator computes (external ids, an unknown id mixed in, one batch, seen
   * items excluded) names the same top-10 as the DJL model's scores with the same exclusions.
   */
  private static void assertStreamingAnswersMatchTheDjlModel(ServingModel serving, int[][] histories, float[][] expected) {
    List<String[]> external = new ArrayList<>();
    for (int[] h : histories) {
      String[] ids = new String[h.length + 1];
      ids[0] = "never-trained-item";
      for (int t = 0; t < h.length; t++) ids[t + 1] = serving.itemId(h[t]);
      external.add(ids);
    }
    List<RankedItems> answers = new BatchRecommender(serving, 10).recommend(external);
    for (int i = 0; i < histories.length; i++) {
      BitSet seen = new BitSet();
      for (int item : histories[i]) seen.set(item);
      int[] djlTop = TopK.select(expected[i], 10, seen);
      String[] djlIds = new String[djlTop.length];
      for (int j = 0; j < djlTop.length; j++) djlIds[j] = serving.itemId(djlTop[j]);
      assertThat(answers.get(i).itemIds()).as("history %d", i).containsExactly(djlIds);
      assertThat(answers.get(i).unknownItems()).isEqualTo(1);
    }
  }

  @org.junit.jupiter.api.Test
  void refusesAnArtifactWhoseConfigDoesNotFitItsWeights() {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withMaxLen(8);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= ITEMS; i++) ids.add("item-" + i);
    try (SequentialModel model = SequentialModels.create(cfg, ITEMS, null)) {
      var artifact =
          ArtifactWriter.write(
              dir, "v-bad", "sasrec", cfg.withDim(32).toMap(), model.exportWeights(), ids,
              new TrainingDataInfo("random", 1, ITEMS, 1, null, null, "test"), Map.of(), Map.of());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServingModel.fromArtifact(ArtifactReader.load(artifact.dir())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("v-bad")
          .hasMessageContaining("item_embedding")
          .hasMessageContaining("[121, 16]");
    }
  }

  private static Tensor randomTable(Random r, int width) {
    float[] v = new float[(ITEMS + 1) * width];
    for (int i = width; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.1f;
    return new Tensor(v, ITEMS + 1, width);
  }

  private static int[] longHistory(Random r, int n) {
    int[] h = new int[n];
    for (int i = 0; i < n; i++) h[i] = 1 + r.nextInt(ITEMS);
    return h;
  }
}
