package org.lmrec.enhance.trsr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.lm.PromptTokens;
import org.lmrec.lm.TokenBatch;
import org.lmrec.model.djl.DjlOps;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.trsr.YesNoHead;

/**
 * The yes/no ranker on the trainable LM: prompt tokens → the LM's pooled output (base frozen, LoRA
 * trains) → a two-way head {@code [hidden, 2]} + bias (trains) → (l_yes, l_no). The same math as
 * {@link YesNoHead} in core, which serves it without PyTorch.
 */
public final class TrainableRanker {
  private final TrainableLm lm;
  private final int maxTokens;
  private final NDArray weight; // [H, 2]
  private final NDArray bias; // [2]

  /** {@code warmHead}: a stored head to start from, or null for a fresh Xavier-initialised one (seeded). */
  public TrainableRanker(TrainableLm lm, int maxTokens, YesNoHead warmHead, long seed) {
    this.lm = lm;
    this.maxTokens = maxTokens;
    int h = lm.hiddenSize();
    NDManager m = lm.manager();
    if (warmHead != null) {
      if (warmHead.hidden() != h) throw new IllegalArgumentException("warm-start head reads width " + warmHead.hidden() + " but the LM is " + h + " wide");
      float[] d = warmHead.toTensor().data();
      weight = DjlOps.floats(m, Arrays.copyOfRange(d, 0, 2 * h), new Shape(h, 2));
      bias = DjlOps.floats(m, Arrays.copyOfRange(d, 2 * h, 2 * h + 2), new Shape(2));
    } else {
      Random r = new Random(seed ^ 0x7e5L);
      float bound = (float) Math.sqrt(6.0 / (h + 2));
      float[] w = new float[2 * h];
      for (int i = 0; i < w.length; i++) w[i] = (r.nextFloat() * 2 - 1) * bound;
      weight = DjlOps.floats(m, w, new Shape(h, 2));
      bias = DjlOps.floats(m, new float[2], new Shape(2));
    }
    weight.setRequiresGradient(true);
    bias.setRequiresGradient(true);
  }

  public TrainableLm lm() {
    return lm;
  }

  /** The head's arrays, for the optimizer. */
  public Map<String, NDArray> headParameters() {
    Map<String, NDArray> m = new LinkedHashMap<>();
    m.put("head.weight", weight);
    m.put("head.bias", bias);
    return m;
  }

  /** The prompts' token batch (the same ids ONNX Runtime gets). */
  public TokenBatch tokens(List<RankerInputs.Prompt> prompts) {
    return PromptTokens.batch(lm.tokenizer(), RankerInputs.contexts(prompts), RankerInputs.itemParts(prompts), maxTokens);
  }

  /** {@code [batch, 2]} logits (yes, no) with gradients reaching LoRA and the head; {@code training} applies LoRA dropout. */
  public NDArray logits(TokenBatch batch, NDManager step, boolean training) {
    return lm.pooled(batch, step, training).matMul(weight).add(bias);
  }

  /** Mean cross-entropy of the two-way logits against labels (true = the user interacted: yes). */
  public NDArray loss(TokenBatch batch, boolean[] yes, NDManager step) {
    float[] onehot = new float[yes.length * 2];
    for (int i = 0; i < yes.length; i++) onehot[2 * i + (yes[i] ? YesNoHead.YES : YesNoHead.NO)] = 1f;
    NDArray target = DjlOps.floats(step, onehot, new Shape(yes.length, 2));
    return logits(batch, step, true).logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
  }

  /** {@code {l_yes, l_no}} per prompt, no dropout, no autograd graph, in batches of {@code batchSize}. */
  public double[][] inferLogits(List<RankerInputs.Prompt> prompts, int batchSize) {
    double[][] out = new double[prompts.size()][];
    for (int from = 0; from < prompts.size(); from += batchSize) {
      List<RankerInputs.Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + batchSize));
      try (NDManager step = lm.manager().newSubManager()) {
        NDArray w = weight.stopGradient();
        w.attach(step);
        NDArray b = bias.stopGradient();
        b.attach(step);
        float[] l = lm.pooledInference(tokens(chunk), step).matMul(w).add(b).toFloatArray();
        for (int i = 0; i < chunk.size(); i++) out[from + i] = new double[] {l[2 * i], l[2 * i + 1]};
      }
    }
    return out;
  }

  /** A copy of the head as core's plain-Java {@link YesNoHead}. */
  public YesNoHead head() {
    float[] w = weight.toFloatArray();
    float[] b = bias.toFloatArray();
    float[] out = Arrays.copyOf(w, w.length + 2);
    System.arraycopy(b, 0, out, w.length, 2);
    return YesNoHead.of(new Tensor(out, lm.hiddenSize() + 1, 2));
  }

  /** Overwrites the head in place (restoring the best epoch's), keeping the arrays' identity for the optimizer. */
  public void loadHead(YesNoHead head) {
    float[] d = head.toTensor().data();
    int h = lm.hiddenSize();
    try (NDArray w = DjlOps.floats(lm.manager(), Arrays.copyOfRange(d, 0, 2 * h), new Shape(h, 2));
        NDArray b = DjlOps.floats(lm.manager(), Arrays.copyOfRange(d, 2 * h, 2 * h + 2), new Shape(2));
        NDArray wv = weight.stopGradient();
        NDArray bv = bias.stopGradient()) {
      wv.subi(wv).addi(w);
      bv.subi(bv).addi(b);
    }
  }
}
