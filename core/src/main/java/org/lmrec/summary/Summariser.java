package org.lmrec.summary;

import java.util.List;

/**
 * A summarisation backend over its own summary type {@code S}: text for a generative LM, a
 * structured profile for the extractive default. The strategies ({@link SummaryStrategy}) are
 * written once against these three steps.
 */
public interface Summariser<S> {
  /** The summary of one block of items. */
  S summariseBlock(List<SummaryItem> block);

  /** Hierarchical: one summary of several block summaries, oldest first. */
  S summariseSummaries(List<S> summaries);

  /** Recurrent: the summary after {@code block}, from the summary before it. */
  S update(S previous, List<SummaryItem> block);

  /** The summary as prompt text within the configured token budget. */
  String render(S summary);

  /** Names this backend and its settings: stored beside each summary so a change is visible. */
  String version();
}
