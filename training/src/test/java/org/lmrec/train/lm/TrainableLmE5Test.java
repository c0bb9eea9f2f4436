package org.lmrec.train.lm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lmrec.lm.BertConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LmFixtures;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.tensor.TensorMap;

/**
 * The second checkpoint, e5-small-v2 (12 layers), through both paths: the folder {@code lmrec lm
 * extract} writes, loaded as {@code --lm DIR} loads it, rebuilt in DJL and run in ONNX Runtime, with
 * and without LoRA folded in. Few texts: the 12-layer rebuild is about twice MiniLM's cost.
 */
class TrainableLmE5Test {
  private static final int MAX_TOKENS = 64;
  private static LmCheckpoint checkpoint;
  private static TrainableLm lm;
  private static OnnxTextEmbedder onnx;

  @BeforeAll
  static void load() {
    checkpoint = LmCheckpoint.parse(LmFixtures.e5SmallV2().onnxFile().getParent().toString()); // what --lm DIR does
    lm = new TrainableLm(checkpoint, LoraConfig.defaults());
    onnx = new OnnxTextEmbedder(checkpoint, 2);
  }

  @AfterAll
  static void close() {
    onnx.close();
    lm.close();
  }

  private static List<String> texts() {
    List<String> texts = new ArrayList<>(LmFixtures.syntheticTitles(12));
    texts.addAll(LmFixtures.syntheticItemTexts(24).subList(12, 24));
    texts.add("Ergonomic Mesh Office Chair with Adjustable Lumbar Support, breathable back, padded seat, tilt lock and height adjustment "
        + "for long working days at the desk, in black, grey or blue, with a five-year warranty"); // longer than 64 tokens: cut
    return texts;
  }

  @Test
  void rebuildMatchesOnnxRuntimeOnTwelveLayers() {
    BertConfig c = lm.bertConfig();
    assertThat(c).isEqualTo(new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12f));
    assertThat(checkpoint.textPrefix()).isEqualTo("query: ");
    LoraWeights untrained = lm.loraWeights();
    assertThat(untrained.isIdentity()).isTrue();
    assertThat(untrained.layers()).isEqualTo(12);
    assertThat(untrained.parameterCount()).isEqualTo(12L * 4 * 2 * 384 * 8);

    List<String> texts = texts();
    float[][] djl = lm.embed(texts, MAX_TOKENS, 8, null);
    float[][] ort = onnx.embed(texts, MAX_TOKENS, 8, null);
    double min = LmFixtures.minCosine(djl, ort);
    System.out.printf("e5-small-v2 parity on %d texts: min cosine 1 - %.1e, max |diff| %.2e%n", texts.size(), 1 - min, LmFixtures.maxAbsDiff(djl, ort));
    assertThat(min).isGreaterThanOrEqualTo(0.999);
    assertThat(LmFixtures.maxAbsDiff(djl, ort)).isLessThan(1e-3);
  }

  @Test
  void foldedAdapterOnTwelveLayersMatchesTheTunedRebuildAndMovesTheEmbeddings() {
    LoraWeights untrained = lm.loraWeights();
    TensorMap m = untrained.toTensorMap();
    Random r = new Random(11);
    for (String name : m.names()) {
      if (!name.endsWith(".B")) continue;
      float[] d = m.get(name).data();
      for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 0.05f);
    }
    assertThat(m.names()).contains("lora.11.query.B", "lora.11.attention_output.A");
    try {
      lm.loadLora(LoraWeights.fromTensorMap(m, LoraConfig.defaults()));
      List<String> texts = texts();
      float[][] djl = lm.embed(texts, MAX_TOKENS, 8, null);
      float[][] base = onnx.embed(texts, MAX_TOKENS, 8, null);
      float[][] folded;
      try (OnnxTextEmbedder tuned = new OnnxTextEmbedder(checkpoint, 2, lm.loraWeights())) {
        folded = tuned.embed(texts, MAX_TOKENS, 8, null);
      }
      double min = LmFixtures.minCosine(djl, folded);
      double moved = LmFixtures.minCosine(base, folded);
      System.out.printf("e5-small-v2 folded LoRA: min cosine to the DJL rebuild 1 - %.1e; min cosine to the base model %.4f%n", 1 - min, moved);
      assertThat(moved).as("the adapter must change the embeddings for this test to mean anything").isLessThan(0.99);
      assertThat(min).isGreaterThanOrEqualTo(0.999);
    } finally {
      lm.loadLora(untrained);
    }
  }
}
