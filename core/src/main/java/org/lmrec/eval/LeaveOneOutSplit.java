package org.lmrec.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmrec.data.Dataset;

/**
 * The leave-one-out split of the sequential-recommendation literature (SASRec, BERT4Rec, ...).
 *
 * <p>For each user with at least 3 interactions: training = all items but the last two; the
 * validation case predicts the second-to-last item from the training prefix; the test case predicts
 * the last item from everything before it. Users with fewer than 3 interactions keep their whole
 * sequence for training and get no evaluation case, as the SASRec reference code does.
 */
public final class LeaveOneOutSplit {
  /** Fewest interactions a user needs to get a validation and a test case. */
  public static final int MIN_INTERACTIONS = 3;

  private final int numItems;
  private final int[][] trainSequences;
  private final List<EvalCase> validation;
  private final List<EvalCase> test;

  private LeaveOneOutSplit(int numItems, int[][] trainSequences, List<EvalCase> validation, List<EvalCase> test) {
    this.numItems = numItems;
    this.trainSequences = trainSequences;
    this.validation = validation;
    this.test = test;
  }

  public static LeaveOneOutSplit of(Dataset dataset) {
    int users = dataset.numUsers();
    int[][] train = new int[users][];
    List<EvalCase> validation = new ArrayList<>();
    List<EvalCase> test = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int[] seq = dataset.sequence(u);
      int n = seq.length;
      if (n < MIN_INTERACTIONS) {
        train[u] = seq.clone();
        continue;
      }
      train[u] = Arrays.copyOf(seq, n - 2);
      // The validation history is exactly the training sequence, so it shares that array.
      validation.add(new EvalCase(u, train[u], seq[n - 2]));
      test.add(new EvalCase(u, Arrays.copyOf(seq, n - 1), seq[n - 1]));
    }
    return new LeaveOneOutSplit(dataset.numItems(), train, List.copyOf(validation), List.copyOf(test));
  }

  /** Number of items of the source dataset (valid indices 1..numItems). */
  public int numItems() {
    return numItems;
  }

  /** Training sequence of every user, indexed by user. Shared: do not modify. */
  public int[][] trainSequences() {
    return trainSequences;
  }

  /** Validation cases, one per eligible user, in user order. */
  public List<EvalCase> validation() {
    return validation;
  }

  /** Test cases, one per eligible user, in user order. */
  public List<EvalCase> test() {
    return test;
  }
}
