package org.lmrec.trsr;

import java.util.Arrays;
import org.lmrec.tensor.Tensor;

/**
 * The ranker's two-way head over the LM's pooled prompt output: {@code (l_yes, l_no) = pooled · W + b}
 * and score = {@link YesNoScore#of softmax(l_yes, l_no)[yes]}. Plain Java, so whatever computes the
 * pooled vector (ONNX Runtime, the trainable copy) shares this one definition of the score.
 *
 * <p>Stored as one {@code [hidden + 1, 2]} tensor: the weight rows, then the bias row; column 0 is
 * yes, column 1 no.
 */
public final class YesNoHead {
  public static final int YES = 0;
  public static final int NO = 1;

  private final int hidden;
  private final float[] values; // [hidden + 1, 2], row-major

  private YesNoHead(int hidden, float[] values) {
    this.hidden = hidden;
    this.values = values;
  }

  /** The head of {@code tensor} ({@code [hidden + 1, 2]}), refused when its shape or a value is wrong. */
  public static YesNoHead of(Tensor tensor) {
    if (tensor.rank() != 2 || tensor.dim(1) != 2 || tensor.dim(0) < 2) {
      throw new IllegalArgumentException("a yes/no head is [hidden + 1, 2], got " + Arrays.toString(tensor.shape()));
    }
    if (tensor.firstNonFinite() >= 0) throw new IllegalArgumentException("the yes/no head holds a NaN or infinite value");
    return new YesNoHead(tensor.dim(0) - 1, tensor.data().clone());
  }

  /** Width of the pooled vector it reads. */
  public int hidden() {
    return hidden;
  }

  /** {@code {l_yes, l_no}} of one pooled vector, accumulated in double. */
  public double[] logits(float[] pooled) {
    if (pooled.length != hidden) throw new IllegalArgumentException("pooled vector has width " + pooled.length + ", the head reads " + hidden);
    double yes = values[2 * hidden + YES];
    double no = values[2 * hidden + NO];
    for (int i = 0; i < hidden; i++) {
      yes += (double) pooled[i] * values[2 * i + YES];
      no += (double) pooled[i] * values[2 * i + NO];
    }
    return new double[] {yes, no};
  }

  /** The yes probability of one pooled vector. */
  public double score(float[] pooled) {
    double[] l = logits(pooled);
    return YesNoScore.of(l[YES], l[NO]);
  }

  /** A copy as the stored {@code [hidden + 1, 2]} tensor. */
  public Tensor toTensor() {
    return new Tensor(values.clone(), hidden + 1, 2);
  }
}
