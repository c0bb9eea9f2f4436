package org.lmrec.trsr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** LLM-TRSR's score: softmax over the LM's (yes, no) logits, the yes probability; candidates ranked by it. */
public final class YesNoScore {
  private YesNoScore() {}

  /** softmax(l_yes, l_no)[yes] = 1 / (1 + e^(l_no - l_yes)), computed without overflow. */
  public static double of(double logitYes, double logitNo) {
    if (Double.isNaN(logitYes) || Double.isNaN(logitNo)) throw new IllegalArgumentException("NaN logit");
    double d = logitNo - logitYes;
    return d >= 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
  }

  /**
   * Candidate indices by descending yes probability; ties keep the candidates' order (so a
   * deterministic candidate list gives a deterministic ranking).
   *
   * @param logits one {@code {l_yes, l_no}} pair per candidate
   */
  public static List<Integer> rank(List<double[]> logits) {
    double[] score = new double[logits.size()];
    List<Integer> order = new ArrayList<>(logits.size());
    for (int i = 0; i < logits.size(); i++) {
      score[i] = of(logits.get(i)[0], logits.get(i)[1]);
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> -score[i]));
    return order;
  }
}
