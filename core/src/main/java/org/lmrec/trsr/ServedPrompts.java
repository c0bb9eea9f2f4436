package org.lmrec.trsr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;

/**
 * The ranker's prompts where only item ids flow (the streaming scorer): items come from the model
 * artifact's {@link SummaryCatalogue} and go through {@link RankerSpec#item} and {@link
 * RankingPrompt}, the code training's prompts go through, so a served prompt is built as the
 * ranker's training prompts were. The profile line is the extractive summary the spec names (its
 * strategy over the options its summariser version names), made from the history given; with
 * summary mode {@code none} there is no profile line.
 *
 * <p>An id the catalogue does not know is shown as its id with no attributes (a history item) or
 * left out of the summary. Immutable.
 */
public final class ServedPrompts {
  /** The two prompt parts of each candidate, in candidate order. */
  public record Prompts(List<String> contexts, List<String> items) {}

  private final RankerSpec spec;
  private final RankingPrompt prompt;
  private final SummaryCatalogue catalogue;
  private final ExtractiveSummariser summariser;

  /**
   * @throws IllegalArgumentException when the spec asks for a summary made by a summariser other
   *     than the extractive one (its version does not read back), which the stream cannot make
   */
  public ServedPrompts(RankerSpec spec, SummaryCatalogue catalogue) {
    this.spec = spec;
    this.prompt = spec.prompt();
    this.catalogue = catalogue;
    this.summariser = spec.summary().strategy() == null ? null : new ExtractiveSummariser(ExtractiveSummariser.Options.ofVersion(spec.summariserVersion()));
  }

  /** The profile text of {@code history} (oldest first), "" for summary mode none or before a complete block. */
  public String summary(String[] history) {
    if (summariser == null) return "";
    List<SummaryItem> known = new ArrayList<>(history.length);
    for (String id : history) catalogue.item(id).ifPresent(i -> known.add(item(id, i)));
    return spec.summary().strategy().summarise(summariser, known, spec.blockSize(), spec.maxBlocks()).text();
  }

  /** One prompt per candidate after {@code history}: the same context, the recent items, the candidate. */
  public Prompts prompts(String[] history, List<String> candidates) {
    String context = prompt.context(summary(history));
    int from = Math.max(0, history.length - spec.recentItems());
    List<SummaryItem> recent = new ArrayList<>(history.length - from);
    for (int i = from; i < history.length; i++) recent.add(item(history[i]));
    List<String> contexts = new ArrayList<>(candidates.size());
    List<String> items = new ArrayList<>(candidates.size());
    for (String c : candidates) {
      contexts.add(context);
      items.add(prompt.items(recent, item(c)));
    }
    return new Prompts(contexts, items);
  }

  private SummaryItem item(String id) {
    return catalogue.item(id).map(i -> item(id, i)).orElseGet(() -> spec.item(id, Map.of(), new float[0]));
  }

  /** The catalogue keeps the title apart from the attributes; the spec reads it as attribute {@code title}. */
  private SummaryItem item(String id, SummaryItem stored) {
    Map<String, String> attributes = new LinkedHashMap<>(stored.attributes());
    attributes.put("title", stored.title());
    return spec.item(id, attributes, stored.embedding());
  }
}
