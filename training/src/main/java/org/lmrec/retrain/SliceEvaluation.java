package org.lmrec.retrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.eval.Evaluator;
import org.lmrec.eval.FullRanking;
import org.lmrec.serving.ServingModel;

/**
 * NDCG@10 and HR@10 of a serving model on a {@link HeldOutSlice}, scored the way the streaming job
 * scores: history items the model does not know are skipped, and a case whose target the model
 * does not know (or whose whole history it does not know) is a miss, since serving could not have
 * recommended it. Ranking is over the model's full catalogue with the offline evaluation's code.
 */
public final class SliceEvaluation {
  /** @param knownCases cases the model could rank; the metrics average over all {@code cases} */
  public record Score(double ndcg10, double hr10, int cases, int knownCases) {}

  private SliceEvaluation() {}

  public static Score of(ServingModel model, HeldOutSlice slice) {
    List<EvalCase> known = new ArrayList<>();
    int user = 0;
    for (HeldOutSlice.Case c : slice.cases()) {
      int target = model.itemIndex(c.target());
      int[] history = new int[c.history().length];
      int n = 0;
      for (String item : c.history()) {
        int idx = model.itemIndex(item);
        if (idx > 0) history[n++] = idx;
      }
      if (target > 0 && n > 0) known.add(new EvalCase(user, Arrays.copyOf(history, n), target));
      user++;
    }
    if (slice.size() == 0) throw new IllegalArgumentException("the held-out slice is empty: no user has enough interactions");
    if (known.isEmpty()) return new Score(0, 0, slice.size(), 0);
    EvaluationResult r = Evaluator.builder(new FullRanking(model.numItems())).cutoffs(10).build().evaluate(model, known);
    double share = known.size() / (double) slice.size();
    return new Score(r.metric("NDCG@10") * share, r.metric("HR@10") * share, slice.size(), known.size());
  }
}
