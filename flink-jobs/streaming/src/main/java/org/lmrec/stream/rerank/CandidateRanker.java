package org.lmrec.stream.rerank;

import java.util.List;

/** Scores ranking prompts given as their two parts (context, items); higher = more likely next. One per thread. */
public interface CandidateRanker extends AutoCloseable {
  double[] scores(List<String> contexts, List<String> items);

  @Override
  void close();
}
