package org.lmrec.eval;

/** Told after every scored batch; the library never prints, callers decide how to show progress. */
@FunctionalInterface
public interface EvaluationProgress {
  void onProgress(int casesDone, int casesTotal);
}
