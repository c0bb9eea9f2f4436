package org.lmrec.retrain;

import java.util.ArrayList;
import java.util.List;
import org.lmrec.data.Dataset;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.LeaveOneOutSplit;

/**
 * The most recent interaction of every user of the window, with everything before it, in external
 * ids: the cases on which a candidate and the serving model are compared. External ids make the
 * comparison fair across models that number their items differently.
 */
public record HeldOutSlice(List<Case> cases) {
  /** Predict {@code target} from {@code history} (external ids, oldest first). */
  public record Case(String[] history, String target) {}

  /** The test cases of the leave-one-out split the candidate is trained and evaluated with. */
  public static HeldOutSlice of(Dataset data) {
    List<Case> cases = new ArrayList<>();
    for (EvalCase c : LeaveOneOutSplit.of(data).test()) {
      String[] history = new String[c.history().length];
      for (int i = 0; i < history.length; i++) history[i] = data.itemId(c.history()[i]);
      cases.add(new Case(history, data.itemId(c.target())));
    }
    return new HeldOutSlice(List.copyOf(cases));
  }

  public int size() {
    return cases.size();
  }
}
