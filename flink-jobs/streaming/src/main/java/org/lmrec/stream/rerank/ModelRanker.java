package org.lmrec.stream.rerank;

import java.util.List;
import org.lmrec.trsr.ServedPrompts;

/** One served model's ranker: its prompts (from the model's artifact) and the LM that scores them. */
public final class ModelRanker implements AutoCloseable {
  private final ServedPrompts prompts;
  private final CandidateRanker ranker;

  public ModelRanker(ServedPrompts prompts, CandidateRanker ranker) {
    this.prompts = prompts;
    this.ranker = ranker;
  }

  /** The ranker's score of each candidate after {@code history} (oldest first), in candidate order. */
  public double[] scores(String[] history, List<String> candidates) {
    ServedPrompts.Prompts p = prompts.prompts(history, candidates);
    return ranker.scores(p.contexts(), p.items());
  }

  @Override
  public void close() {
    ranker.close();
  }
}
