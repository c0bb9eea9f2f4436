package org.lmrec.train.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.lm.BertConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraTarget;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.lm.TokenBatch;
import org.lmrec.lm.LmFixtures;

/**
 * The DJL rebuild against ONNX Runtime on real item texts, LoRA gradients, and serving the tuned
 * encoder through ORT with LoRA folded into the projections. One model for the whole class; each
 * test starts from the untrained adapter (B = 0).
 */
class TrainableLmTest {
  private static final int MAX_TOKENS = 64;
  private static LmCheckpoint checkpoint;
  private static TrainableLm lm;
  private static OnnxTextEmbedder onnx;
  private static LoraWeights untrained;

  @BeforeAll
  static void load() {
    checkpoint = LmCheckpoint.defaultMiniLm();
    lm = new TrainableLm(checkpoint, LoraConfig.defaults());
    onnx = new OnnxTextEmbedder(checkpoint, 2);
    untrained = lm.loraWeights();
  }

  @AfterAll
  static void close() {
    onnx.close();
    lm.close();
  }

  @BeforeEach
  void resetAdapter() {
    lm.loadLora(untrained);
  }

  @Test
  void graphIsReadAsMiniLm() {
    BertConfig c = lm.bertConfig();
    assertThat(c).isEqualTo(new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f));
    assertThat(lm.hiddenSize()).isEqualTo(384);
    assertThat(onnx.hiddenSize()).isEqualTo(384);
    assertThat(untrained.isIdentity()).isTrue();
    assertThat(untrained.parameterCount()).isEqualTo(6L * 4 * 2 * 384 * 8);
    assertThat(lm.trainableParameters()).hasSize(6 * 4 * 2);
  }

  @Test
  void untrainedAdapterMatchesOnnxRuntimeOnSyntheticItems() {
    List<String> texts = new ArrayList<>(LmFixtures.syntheticTitles(200));
    texts.addAll(LmFixtures.syntheticItemTexts(300).subList(200, 300));
    assertParity(texts, "synthetic titles and item texts");
  }

  @Test
  void untrainedAdapterMatchesOnnxRuntimeOnAmazonOfficeTitles() {
    Optional<List<String>> titles = LmFixtures.amazonOfficeTitles(300);
    Assumptions.assumeTrue(titles.isPresent(), "../shared/data/amazon-office not present");
    assertParity(titles.get(), "Amazon Office titles");
  }

  private static void assertParity(List<String> texts, String what) {
    int[] lastProgress = {0};
    float[][] djl = lm.embed(texts, MAX_TOKENS, 32, done -> lastProgress[0] = done);
    float[][] ort = onnx.embed(texts, MAX_TOKENS, 32, null);
    double min = LmFixtures.minCosine(djl, ort);
    System.out.printf("parity on %d %s: min cosine 1 - %.1e, max |diff| %.2e%n", texts.size(), what, 1 - min, LmFixtures.maxAbsDiff(djl, ort));
    assertThat(lastProgress[0]).isEqualTo(texts.size());
    assertThat(min).isGreaterThanOrEqualTo(0.999);
    assertThat(LmFixtures.maxAbsDiff(djl, ort)).isLessThan(1e-3);
  }

  @Test
  void gradientsReachOnlyTheAdapterAndAdamMovesOnlyIt() {
    lm.loadLora(randomAdapter(7, 0.02f)); // with B = 0, A's gradient would be zero by construction
    List<String> texts = LmFixtures.syntheticItemTexts(8);
    TokenBatch batch = lm.tokenizer().encode(texts, MAX_TOKENS, false);
    List<float[]> baseBefore = snapshot(lm.frozenParameters());
    float[][] before = lm.embed(texts, MAX_TOKENS, 8, null);

    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
    try (NDManager step = lm.manager().newSubManager()) {
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray pooled = lm.pooled(batch, step, true);
        assertThat(pooled.getShape()).isEqualTo(new Shape(8, 384));
        NDArray direction = org.lmrec.model.djl.DjlOps.floats(step, randomFloats(384, 3), new Shape(384));
        collector.backward(pooled.mul(direction).sum());
      }
      List<NDArray> params = lm.trainableParameters();
      for (int i = 0; i < params.size(); i++) {
        NDArray grad = params.get(i).getGradient();
        grad.attach(step);
        assertThat(grad.abs().sum().getFloat()).as("gradient of LoRA array %d", i).isGreaterThan(0f);
        adam.update("lora" + i, params.get(i), grad);
      }
      lm.zeroGradients();
    }
    for (NDArray base : lm.frozenParameters()) assertThat(base.hasGradient()).as("base weight %s requires a gradient", base.getShape()).isFalse();

    float[][] after = lm.embed(texts, MAX_TOKENS, 8, null);
    assertThat(LmFixtures.maxAbsDiff(before, after)).isGreaterThan(1e-4);
    List<float[]> baseAfter = snapshot(lm.frozenParameters());
    for (int i = 0; i < baseBefore.size(); i++) assertThat(baseAfter.get(i)).as("base weight %d", i).isEqualTo(baseBefore.get(i));
  }

  @Test
  void dropoutAppliesOnlyInTraining() {
    lm.loadLora(randomAdapter(3, 0.05f));
    List<String> texts = LmFixtures.syntheticItemTexts(4);
    TokenBatch batch = lm.tokenizer().encode(texts, MAX_TOKENS, false);
    try (NDManager step = lm.manager().newSubManager()) {
      float[] eval = lm.pooled(batch, step, false).toFloatArray();
      float[] evalAgain = lm.pooled(batch, step, false).toFloatArray();
      float[] train = lm.pooled(batch, step, true).toFloatArray();
      float[][] embedded = lm.embed(texts, MAX_TOKENS, 4, null);

      assertThat(evalAgain).isEqualTo(eval);
      assertThat(LmFixtures.maxAbsDiff(new float[][] {train}, new float[][] {eval})).isGreaterThan(1e-5);
      assertThat(LmFixtures.maxAbsDiff(embedded, new float[][] {
        java.util.Arrays.copyOfRange(eval, 0, 384), java.util.Arrays.copyOfRange(eval, 384, 768),
        java.util.Arrays.copyOfRange(eval, 768, 1152), java.util.Arrays.copyOfRange(eval, 1152, 1536)})).isLessThan(1e-5);
    }
  }

  @Test
  void foldedAdapterInOnnxRuntimeMatchesTheTunedRebuild() {
    LoraWeights tuned = randomAdapter(11, 0.05f);
    lm.loadLora(tuned);
    List<String> texts = LmFixtures.syntheticItemTexts(120);
    float[][] djl = lm.embed(texts, MAX_TOKENS, 32, null);
    float[][] base = onnx.embed(texts, MAX_TOKENS, 32, null);
    float[][] folded;
    try (OnnxTextEmbedder tunedOnnx = new OnnxTextEmbedder(checkpoint, 2, lm.loraWeights())) {
      folded = tunedOnnx.embed(texts, MAX_TOKENS, 32, null);
    }
    double min = LmFixtures.minCosine(djl, folded);
    double moved = LmFixtures.minCosine(base, folded);
    System.out.printf("folded LoRA: min cosine to the DJL rebuild 1 - %.1e (max |diff| %.2e); min cosine to the base model %.4f%n",
        1 - min, LmFixtures.maxAbsDiff(djl, folded), moved);
    assertThat(moved).as("the adapter must change the embeddings for this test to mean anything").isLessThan(0.99);
    assertThat(min).isGreaterThanOrEqualTo(0.999);
  }

  @Test
  void loraWeightsRoundTripThroughATensorMap() {
    LoraWeights w = randomAdapter(5, 0.1f);
    TensorMap m = w.toTensorMap();
    assertThat(m.names()).hasSize(48).contains("lora.0.query.A", "lora.5.attention_output.B");

    LoraWeights back = LoraWeights.fromTensorMap(m, LoraConfig.defaults());

    for (String name : m.names()) assertThat(back.toTensorMap().get(name).data()).isEqualTo(m.get(name).data());
    lm.loadLora(back);
    for (String name : m.names()) assertThat(lm.loraWeights().toTensorMap().get(name).data()).isEqualTo(m.get(name).data());
  }

  @Test
  void loadLoraRefusesAnotherRankOrShape() {
    LoraConfig rank4 = LoraConfig.defaults().withRank(4);
    TensorMap m = new TensorMap();
    for (int l = 0; l < 6; l++) {
      for (LoraTarget t : rank4.orderedTargets()) {
        m.put(LoraWeights.tensorName(l, t, true), new Tensor(new float[384 * 4], 384, 4));
        m.put(LoraWeights.tensorName(l, t, false), new Tensor(new float[4 * 384], 4, 384));
      }
    }
    LoraWeights wrongRank = LoraWeights.fromTensorMap(m, rank4);
    assertThatThrownBy(() -> lm.loadLora(wrongRank)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 4").hasMessageContaining("rank 8");
    assertThatThrownBy(() -> LoraWeights.fromTensorMap(m, LoraConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not fit rank 8");

    TensorMap narrow = untrained.toTensorMap();
    narrow.put("lora.2.value.A", new Tensor(new float[100 * 8], 100, 8));
    LoraWeights wrongShape = LoraWeights.fromTensorMap(narrow, LoraConfig.defaults());
    assertThatThrownBy(() -> lm.loadLora(wrongShape))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A of layer 2 value has shape (100, 8)");
    assertThat(lm.loraWeights().isIdentity()).as("a refused load changes nothing").isTrue();

    TensorMap missing = new TensorMap();
    untrained.toTensorMap().asMap().forEach((k, v) -> {
      if (!k.equals("lora.3.key.B")) missing.put(k, v);
    });
    assertThatThrownBy(() -> LoraWeights.fromTensorMap(missing, LoraConfig.defaults())).hasMessageContaining("lora.3.key.B");
  }

  /** The untrained adapter's A with a random B of the given spread: a model that differs from the base. */
  private static LoraWeights randomAdapter(long seed, float std) {
    TensorMap m = untrained.toTensorMap();
    Random r = new Random(seed);
    for (String name : m.names()) {
      if (!name.endsWith(".B")) continue;
      float[] d = m.get(name).data();
      for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * std);
    }
    return LoraWeights.fromTensorMap(m, LoraConfig.defaults());
  }

  private static float[] randomFloats(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  private static List<float[]> snapshot(List<NDArray> arrays) {
    List<float[]> out = new ArrayList<>();
    for (NDArray a : arrays) out.add(a.toFloatArray());
    return out;
  }
}
