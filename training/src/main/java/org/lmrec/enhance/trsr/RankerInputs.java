package org.lmrec.enhance.trsr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryItem;
import org.lmrec.tensor.Tensor;
import org.lmrec.trsr.RankingPrompt;

/**
 * The ranker's prompts over one dataset: every item as a {@link SummaryItem} (title, the prompt's
 * facets, the base LM's embedding), the user's preference summary of a history prefix (the offline
 * extractive summariser, or none) and the two prompt parts ({@link RankingPrompt#context},
 * {@link RankingPrompt#items}). A summary is always of the history before the predicted item, so
 * a prompt never sees its own target.
 */
public final class RankerInputs {
  /** A prompt in the two parts the token budget treats differently. */
  public record Prompt(String context, String items) {}

  private final RankerConfig config;
  private final RankingPrompt prompt;
  private final ExtractiveSummariser summariser;
  private final SummaryItem[] items;

  /**
   * @param itemEmbeddings the base LM's item table {@code [numItems + 1, hidden]} (row 0 padding), read by the summariser
   */
  public RankerInputs(Dataset data, Tensor itemEmbeddings, RankerConfig config) {
    this.config = config;
    this.prompt = new RankingPrompt(config.recentItems(), config.maxValueChars());
    ExtractiveSummariser.Options defaults = ExtractiveSummariser.Options.defaults();
    this.summariser = new ExtractiveSummariser(
        new ExtractiveSummariser.Options(config.facets(), defaults.titles(), defaults.valuesPerFacet(), config.summaryTokens(), defaults.recency()));
    int h = itemEmbeddings.dim(1);
    this.items = new SummaryItem[data.numItems() + 1];
    List<String> facets = config.facets();
    for (int i = 1; i <= data.numItems(); i++) {
      Map<String, String> all = data.itemAttributes(i);
      String title = all.getOrDefault("title", data.itemId(i));
      Map<String, String> shown = new LinkedHashMap<>();
      for (String f : facets) if (all.containsKey(f)) shown.put(f, all.get(f));
      items[i] = new SummaryItem(title, shown, Arrays.copyOfRange(itemEmbeddings.data(), i * h, (i + 1) * h));
    }
  }

  /** The summariser's version, stored with the ranker ("" without a summary). */
  public String summariserVersion() {
    return config.summary().strategy() == null ? "" : summariser.version();
  }

  /** The preference summary of {@code history[0, length)} ("" for the none mode or before the first complete block). */
  public String summary(int[] history, int length) {
    if (config.summary().strategy() == null) return "";
    return config.summary().strategy().summarise(summariser, itemList(history, length), config.blockSize(), config.maxBlocks()).text();
  }

  /** The prompt for {@code candidate} after {@code history[0, length)} with that prefix's {@code summary}. */
  public Prompt prompt(String summary, int[] history, int length, int candidate) {
    int from = Math.max(0, length - config.recentItems());
    List<SummaryItem> recent = new ArrayList<>(length - from);
    for (int i = from; i < length; i++) recent.add(items[history[i]]);
    return new Prompt(prompt.context(summary), prompt.items(recent, items[candidate]));
  }

  private List<SummaryItem> itemList(int[] history, int length) {
    List<SummaryItem> out = new ArrayList<>(length);
    for (int i = 0; i < length; i++) out.add(items[history[i]]);
    return out;
  }

  public static List<String> contexts(List<Prompt> prompts) {
    return prompts.stream().map(Prompt::context).toList();
  }

  public static List<String> itemParts(List<Prompt> prompts) {
    return prompts.stream().map(Prompt::items).toList();
  }
}
