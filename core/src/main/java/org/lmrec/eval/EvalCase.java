package org.lmrec.eval;

/**
 * One next-item query: given {@code history} (chronological item indices, 1-based), the item that
 * really came next is {@code target}.
 *
 * <p>The history array is not copied (evaluation builds thousands of cases and the split shares
 * arrays between them), so callers must not modify it.
 */
public record EvalCase(int user, int[] history, int target) {
  public EvalCase {
    if (history == null) throw new IllegalArgumentException("history of user " + user + " is null");
    if (target < 1) {
      throw new IllegalArgumentException("target of user " + user + " is " + target + "; item indices start at 1");
    }
  }
}
