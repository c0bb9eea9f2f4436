package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ItemAdapter;
import org.lmrec.model.ItemAdapterFold;
import org.lmrec.model.ItemAlignment;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.TrainingBatch;

/**
 * LLMEmb's RAT at the model level: a frozen external table behind a two-layer adapter, with an
 * alignment loss against a reference table. Only the adapter and the backbone train, and the
 * table a model exports for serving is exactly the adapter applied to the frozen table.
 */
class ItemAdapterTrainingTest {
  static final int ITEMS = 40;
  static final int WIDTH = 24;
  static final int DIM = 16;

  @ParameterizedTest
  @CsvSource({"SASREC,GELU,false", "SASREC,NONE,false", "GRU4REC,RELU,false", "GRU4REC,TANH,false", "SASREC,LINEAR,false",
      "SASREC,NONE,true", "GRU4REC,GELU,true"})
  void foldedServingTableEqualsTheAdapterAppliedOnTheFly(ModelKind kind, String activation, boolean residual) {
    Tensor text = table(new Random(1), WIDTH);
    ItemAdapter adapter = (activation.equals("LINEAR") ? ItemAdapter.linear() : ItemAdapter.twoLayer(12, ItemAdapter.Activation.parse(activation)))
        .withResidual(residual);
    EmbeddingInit init = new EmbeddingInit(text, EmbeddingInit.Mode.ADAPTER, adapter, alignment(0.5f));
    try (SequentialModel model = SequentialModels.create(config(kind), ITEMS, init)) {
      for (int s = 0; s < 5; s++) model.trainStep(batch(new Random(s), kind));
      Tensor folded = model.exportWeights().get("item_embedding");
      float[] expected = ItemAdapterFold.fold(text, model.exportItemAdapter(), adapter).data();
      assertThat(folded.shape()).containsExactly(ITEMS + 1, DIM);
      for (int i = 0; i < DIM; i++) assertThat(folded.data()[i]).isZero(); // padding row
      for (int i = DIM; i < expected.length; i++) {
        assertThat(folded.data()[i]).as("value %d", i).isCloseTo(expected[i], offset(2e-5f));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void onlyTheAdapterAndTheBackboneTrain(ModelKind kind) {
    EmbeddingInit init = new EmbeddingInit(table(new Random(1), WIDTH), EmbeddingInit.Mode.ADAPTER, ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE), alignment(0.5f));
    try (SequentialModel model = SequentialModels.create(config(kind), ITEMS, init)) {
      TensorMap before = model.exportTrainableState();
      assertThat(before.names()).contains("item_adapter.0.weight", "item_adapter.0.bias", "item_adapter.1.weight", "item_adapter.1.bias");
      assertThat(before.names()).noneMatch(n -> n.equals("item_embedding") || n.equals("item_text_table") || n.equals("item_alignment_target"));
      assertThat(model.exportItemAdapter().names()).containsExactlyInAnyOrder("item_adapter.0.weight", "item_adapter.0.bias", "item_adapter.1.weight", "item_adapter.1.bias");
      model.trainStep(batch(new Random(3), kind));
      TensorMap after = model.exportTrainableState();
      for (String name : before.names()) {
        assertThat(after.get(name).data()).as(name + " moved").isNotEqualTo(before.get(name).data());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void theResidualTableStartsAtZeroAndTrains(ModelKind kind) {
    ItemAdapter adapter = ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE).withResidual(true);
    EmbeddingInit init = new EmbeddingInit(table(new Random(1), WIDTH), EmbeddingInit.Mode.ADAPTER, adapter, null);
    try (SequentialModel model = SequentialModels.create(config(kind), ITEMS, init)) {
      Tensor start = model.exportItemAdapter().get(ItemAdapterFold.RESIDUAL);
      assertThat(start.shape()).containsExactly(ITEMS + 1, DIM);
      for (float v : start.data()) assertThat(v).isZero();
      model.trainStep(batch(new Random(3), kind));
      float[] after = model.exportItemAdapter().get(ItemAdapterFold.RESIDUAL).data();
      int moved = 0;
      for (int item = 1; item <= ITEMS; item++) {
        for (int d = 0; d < DIM; d++) {
          if (after[item * DIM + d] != 0f) {
            moved++;
            break;
          }
        }
      }
      assertThat(moved).as("item rows of the residual that trained").isGreaterThan(0);
    }
  }

  /**
   * λ · Σ (residual − start)² joins the loss (lmrec's variant). The first step starts at the start,
   * where the term and its gradient are zero, so both models take the same step; the second step's
   * loss then differs by exactly λ · Σ (r₁ − start)², computed here by hand from the exported r₁,
   * and the term's gradient moves the residual differently. λ 0 is the plain residual, bit for bit.
   */
  @ParameterizedTest
  @CsvSource({"SASREC,true", "GRU4REC,true", "SASREC,false"})
  void theResidualL2TermAddsLambdaTimesTheSquaredDistanceFromTheStart(ModelKind kind, boolean givenStart) {
    Tensor text = table(new Random(1), WIDTH);
    Tensor start = givenStart ? table(new Random(7), DIM) : null;
    float lambda = 50f; // one Adam step moves each entry by about the learning rate: a large λ keeps the term well above float rounding
    TrainingBatch first = batch(new Random(3), kind);
    TrainingBatch second = batch(new Random(4), kind);
    float[][] losses = new float[3][2];
    float[][] afterFirst = new float[3][];
    float[][] afterSecond = new float[3][];
    ItemAdapter plain = ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE).withResidual(true);
    ItemAdapter[] adapters = {plain, plain.withResidualL2(0f), plain.withResidualL2(lambda)};
    for (int v = 0; v < 3; v++) {
      EmbeddingInit init = new EmbeddingInit(text, EmbeddingInit.Mode.ADAPTER, adapters[v], null, start);
      try (SequentialModel model = SequentialModels.create(config(kind), ITEMS, init)) {
        float[] r0 = model.exportItemAdapter().get(ItemAdapterFold.RESIDUAL).data();
        assertThat(r0).as("the residual starts at the given table, else zero").isEqualTo(givenStart ? start.data() : new float[r0.length]);
        losses[v][0] = model.trainStep(first);
        afterFirst[v] = model.exportItemAdapter().get(ItemAdapterFold.RESIDUAL).data();
        losses[v][1] = model.trainStep(second);
        afterSecond[v] = model.exportItemAdapter().get(ItemAdapterFold.RESIDUAL).data();
      }
    }
    assertThat(losses[1]).as("λ 0 is no term").isEqualTo(losses[0]);
    assertThat(afterSecond[1]).isEqualTo(afterSecond[0]);
    assertThat(losses[2][0]).as("zero at the start").isEqualTo(losses[0][0]);
    assertThat(afterFirst[2]).as("and so is its gradient").isEqualTo(afterFirst[0]);
    double sumSquares = 0;
    for (int i = 0; i < afterFirst[2].length; i++) {
      double d = afterFirst[2][i] - (givenStart ? start.data()[i] : 0f);
      sumSquares += d * d;
    }
    assertThat(sumSquares).as("the first step moved the residual").isPositive();
    assertThat((double) losses[2][1] - losses[0][1]).as("λ · Σ (r₁ − start)²")
        .isCloseTo(lambda * sumSquares, offset(1e-3 * lambda * sumSquares + 1e-6));
    assertThat(afterSecond[2]).as("the term's gradient 2λ(r − start) changed the step").isNotEqualTo(afterSecond[0]);
  }

  @org.junit.jupiter.api.Test
  void theResidualOptionsNeedTheResidualTable() {
    assertThatThrownBy(() -> ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE).withResidualL2(0.1f))
        .hasMessageContaining("needs the residual table");
    assertThatThrownBy(() -> ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE).withResidual(true).withResidualL2(-1f))
        .hasMessageContaining("not negative");
    Tensor text = table(new Random(1), WIDTH);
    assertThatThrownBy(() -> new EmbeddingInit(text, EmbeddingInit.Mode.ADAPTER, ItemAdapter.linear(), null, table(new Random(2), DIM)))
        .hasMessageContaining("residual start");
    EmbeddingInit wrong = new EmbeddingInit(text, EmbeddingInit.Mode.ADAPTER, ItemAdapter.linear().withResidual(true), null, table(new Random(2), DIM + 1));
    assertThatThrownBy(() -> wrong.checkFits(ITEMS, DIM)).hasMessageContaining("does not match");
  }

  @org.junit.jupiter.api.Test
  void aFoldWithAResidualNeedsItsTable() {
    Tensor text = table(new Random(1), WIDTH);
    ItemAdapter adapter = ItemAdapter.linear().withResidual(true);
    TensorMap weights = new TensorMap().put("item_adapter.weight", new Tensor(new float[WIDTH * DIM], WIDTH, DIM))
        .put("item_adapter.bias", new Tensor(new float[DIM], DIM));
    assertThatThrownBy(() -> ItemAdapterFold.fold(text, weights, adapter)).hasMessageContaining(ItemAdapterFold.RESIDUAL);
    weights.put(ItemAdapterFold.RESIDUAL, new Tensor(new float[ITEMS * DIM], ITEMS, DIM));
    assertThatThrownBy(() -> ItemAdapterFold.fold(text, weights, adapter)).hasMessageContaining("does not match");
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void theAlignmentTermReachesTheAdapter(ModelKind kind) {
    Tensor text = table(new Random(1), WIDTH);
    ItemAdapter adapter = ItemAdapter.twoLayer(12, ItemAdapter.Activation.NONE);
    TrainingBatch batch = batch(new Random(3), kind);
    float[] losses = new float[3];
    TensorMap[] adapters = new TensorMap[3];
    ItemAlignment[] alignments = {null, alignment(0f), alignment(1f)};
    for (int v = 0; v < 3; v++) {
      try (SequentialModel model = SequentialModels.create(config(kind), ITEMS, new EmbeddingInit(text, EmbeddingInit.Mode.ADAPTER, adapter, alignments[v]))) {
        losses[v] = model.trainStep(batch);
        adapters[v] = model.exportItemAdapter();
      }
    }
    assertThat(losses[1]).as("α = 0 is no alignment").isEqualTo(losses[0]);
    assertThat(adapters[1].get("item_adapter.0.weight").data()).isEqualTo(adapters[0].get("item_adapter.0.weight").data());
    assertThat(losses[2]).as("the soft contrastive term is positive").isGreaterThan(losses[0]);
    assertThat(adapters[2].get("item_adapter.0.weight").data()).isNotEqualTo(adapters[0].get("item_adapter.0.weight").data());
  }

  @org.junit.jupiter.api.Test
  void refusesAnAlignmentTargetOfAnotherShape() {
    EmbeddingInit init = new EmbeddingInit(table(new Random(1), WIDTH), EmbeddingInit.Mode.ADAPTER, ItemAdapter.linear(),
        new ItemAlignment(table(new Random(2), DIM + 1), 0.1f, 2f, 64));
    assertThatThrownBy(() -> SequentialModels.create(config(ModelKind.SASREC), ITEMS, init))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alignment target")
        .hasMessageContaining("[41, 16]");
    assertThatThrownBy(() -> new EmbeddingInit(table(new Random(1), DIM), EmbeddingInit.Mode.TRAINABLE, ItemAdapter.linear(), null))
        .hasMessageContaining("mode ADAPTER");
  }

  private static ItemAlignment alignment(float weight) {
    return new ItemAlignment(table(new Random(2), DIM), weight, 2f, 32);
  }

  private static ModelConfig config(ModelKind kind) {
    return ModelConfig.defaults(kind).withDim(DIM).withBlocks(1).withHeads(1).withMaxLen(8).withBatchSize(6).withSeed(5);
  }

  private static Tensor table(Random r, int width) {
    float[] v = new float[(ITEMS + 1) * width];
    for (int i = width; i < v.length; i++) v[i] = (float) r.nextGaussian();
    return new Tensor(v, ITEMS + 1, width);
  }

  /** A batch of 6 rows of 8 steps, padded on the side the backbone expects. */
  private static TrainingBatch batch(Random r, ModelKind kind) {
    int rows = 6;
    int len = 8;
    int[][] in = new int[rows][len];
    int[][] out = new int[rows][len];
    int[][] neg = new int[rows][len];
    for (int b = 0; b < rows; b++) {
      int n = 3 + r.nextInt(len - 2);
      int offset = SequentialModels.padsLeft(kind) ? len - n : 0;
      int[] seq = new int[n + 1];
      for (int t = 0; t <= n; t++) seq[t] = 1 + r.nextInt(ITEMS);
      for (int t = 0; t < n; t++) {
        in[b][offset + t] = seq[t];
        out[b][offset + t] = seq[t + 1];
        neg[b][offset + t] = 1 + r.nextInt(ITEMS);
      }
    }
    return new TrainingBatch(in, out, neg);
  }
}
