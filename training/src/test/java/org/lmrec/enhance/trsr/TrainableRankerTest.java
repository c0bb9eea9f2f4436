package org.lmrec.enhance.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lmrec.enhance.LmFineTuning;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxYesNoRanker;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.SummaryMode;
import org.lmrec.trsr.YesNoHead;
import org.lmrec.trsr.YesNoScore;

/** The trainable yes/no ranker on the real MiniLM: where gradients go, and parity with the ONNX Runtime ranker. */
class TrainableRankerTest {
  private static final int MAX_TOKENS = 64;
  private static LmCheckpoint checkpoint;
  private static TrainableLm lm;
  private static TrainableRanker ranker;

  private static final List<RankerInputs.Prompt> PROMPTS = List.of(
      new RankerInputs.Prompt("Will the shopper buy it?\nProfile: Mostly brand: Acme. Typical items: red pen.\n", "Recent items:\n- title is red pen\nCandidate: title is blue pen"),
      new RankerInputs.Prompt("Will the shopper buy it?\n", "Recent items:\n- title is stapler\nCandidate: title is garden hose; brand is Hozer"),
      new RankerInputs.Prompt("Will the shopper buy it?\nProfile: Mostly categories: Office.\n", "Recent items:\n- title is paper\n- title is ink\nCandidate: title is toner"),
      new RankerInputs.Prompt("Will the shopper buy it?\n", "Recent items:\n- title is desk lamp\nCandidate: title is light bulb"));

  @BeforeAll
  static void load() {
    checkpoint = LmCheckpoint.defaultMiniLm();
    lm = new TrainableLm(checkpoint, LoraConfig.defaults());
    ranker = new TrainableRanker(lm, MAX_TOKENS, null, 7);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @Test
  void gradientsReachOnlyLoraAndTheHead() {
    lm.loadLora(withRandomB(lm.loraWeights(), 11)); // with B = 0 the gradient of A is zero by construction
    boolean[] yes = {true, false, true, false};
    try (NDManager step = lm.manager().newSubManager()) {
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        collector.backward(ranker.loss(ranker.tokens(PROMPTS), yes, step));
      }
      List<NDArray> lora = lm.trainableParameters();
      for (int i = 0; i < lora.size(); i++) {
        NDArray g = lora.get(i).getGradient();
        g.attach(step);
        assertThat(g.abs().sum().getFloat()).as("gradient of LoRA array %d", i).isGreaterThan(0f);
      }
      for (Map.Entry<String, NDArray> p : ranker.headParameters().entrySet()) {
        NDArray g = p.getValue().getGradient();
        g.attach(step);
        assertThat(g.abs().sum().getFloat()).as("gradient of %s", p.getKey()).isGreaterThan(0f);
      }
      lm.zeroGradients();
      for (NDArray p : ranker.headParameters().values()) {
        try (NDArray g = p.getGradient()) {
          g.subi(g);
        }
      }
    }
    for (NDArray base : lm.frozenParameters()) assertThat(base.hasGradient()).as("base weight %s has a gradient", base.getShape()).isFalse();
  }

  @Test
  void onnxRuntimeWithFoldedLoraScoresAsTheTrainableCopy() {
    LmFineTuning tuning = new LmFineTuning(lm, "test", 1e-3f, ranker.headParameters());
    boolean[] yes = {true, false, true, false};
    for (int i = 0; i < 3; i++) tuning.step(step -> ranker.loss(ranker.tokens(PROMPTS), yes, step));
    LoraWeights lora = lm.loraWeights();
    assertThat(lora.isIdentity()).isFalse();
    YesNoHead head = ranker.head();
    double[][] trainable = ranker.inferLogits(PROMPTS, 2);

    RankerSpec spec = spec(checkpoint.sha256());
    try (OnnxYesNoRanker onnx = new OnnxYesNoRanker(checkpoint, 2, new RankerFiles.Stored(spec, lora.toTensorMap(), head))) {
      double[][] served = onnx.logits(RankerInputs.contexts(PROMPTS), RankerInputs.itemParts(PROMPTS), 3, null);
      double[] scores = onnx.scores(RankerInputs.contexts(PROMPTS), RankerInputs.itemParts(PROMPTS), 3);
      for (int i = 0; i < PROMPTS.size(); i++) {
        assertThat(served[i][0]).as("l_yes of prompt %d", i).isCloseTo(trainable[i][0], org.assertj.core.data.Offset.offset(2e-4));
        assertThat(served[i][1]).as("l_no of prompt %d", i).isCloseTo(trainable[i][1], org.assertj.core.data.Offset.offset(2e-4));
        assertThat(scores[i]).isEqualTo(YesNoScore.of(served[i][0], served[i][1]));
      }
    }
    assertThatThrownBy(() -> new OnnxYesNoRanker(checkpoint, 1, new RankerFiles.Stored(spec("00ff"), lora.toTensorMap(), head)))
        .hasMessageContaining("fine-tuned on base LM").hasMessageContaining("do not apply");
  }

  private static RankerSpec spec(String sha) {
    return new RankerSpec(RankerSpec.FORMAT_VERSION, checkpoint.name(), sha, lm.hiddenSize(), LoraConfig.defaults().toJsonMap(), SummaryMode.NONE,
        5, 5, "", 3, List.of("brand"), 50, MAX_TOKENS);
  }

  private static LoraWeights withRandomB(LoraWeights w, long seed) {
    Random r = new Random(seed);
    TensorMap m = w.toTensorMap();
    TensorMap out = new TensorMap();
    for (String name : new ArrayList<>(m.names())) {
      Tensor t = m.get(name);
      if (name.endsWith(".B")) {
        float[] d = new float[t.size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 0.02);
        t = new Tensor(d, t.shape());
      }
      out.put(name, t);
    }
    return LoraWeights.fromTensorMap(out, w.config());
  }
}
