package org.lmrec.eval;

/** Input checks shared by the protocols, so every bad case fails with the same clear message. */
final class CaseChecks {
  private CaseChecks() {}

  static void checkItems(EvalCase c, int numItems) {
    if (c.target() > numItems) {
      throw new IllegalArgumentException(
          "case of user " + c.user() + ": target " + c.target() + " outside 1.." + numItems);
    }
    for (int item : c.history()) {
      if (item < 1 || item > numItems) {
        throw new IllegalArgumentException(
            "case of user " + c.user() + ": history item " + item + " outside 1.." + numItems);
      }
    }
  }

  static void checkRow(EvalCase c, float[] scores, int numItems) {
    if (scores == null || scores.length != numItems + 1) {
      throw new IllegalStateException(
          "scorer returned " + (scores == null ? "no row" : scores.length + " scores")
              + " for user " + c.user() + "; expected numItems + 1 = " + (numItems + 1));
    }
  }

  static IllegalStateException nan(EvalCase c, int item) {
    return new IllegalStateException(
        "scorer returned NaN for item " + item + " (user " + c.user() + ", target " + c.target()
            + "); a NaN cannot be ranked, check the model for diverged weights");
  }
}
