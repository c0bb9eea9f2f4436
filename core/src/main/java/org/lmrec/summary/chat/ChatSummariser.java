package org.lmrec.summary.chat;

import java.util.List;
import java.util.stream.Collectors;
import org.lmrec.data.ItemText;
import org.lmrec.summary.Summariser;
import org.lmrec.summary.SummaryItem;

/**
 * LLM-TRSR's summaries from a generative LM (METHODS.md section 3; the prompts are this project's
 * own words): behind an OpenAI-compatible endpoint, or any other {@link ChatModel}. A failed call
 * throws {@link SummaryFailedException}: the caller keeps the summary it had and counts the failure.
 */
public final class ChatSummariser implements Summariser<String> {
  static final String SYSTEM = "You write short preference profiles of shoppers for a recommender system. "
      + "Describe what the shopper likes (kinds of items, categories, brands, price or style cues) in plain prose. "
      + "Do not list the items one by one and do not invent facts.";

  private final ChatModel model;
  private final int maxValueChars;

  /** Summaries from an OpenAI-compatible endpoint. */
  public ChatSummariser(ChatEndpoint endpoint) {
    this(new ChatCompletionsClient(endpoint), 200);
  }

  /** Summaries from {@code model}; each item attribute is cut to {@code maxValueChars}. */
  public ChatSummariser(ChatModel model, int maxValueChars) {
    if (maxValueChars < 1) throw new IllegalArgumentException("maxValueChars must be positive");
    this.model = model;
    this.maxValueChars = maxValueChars;
  }

  @Override
  public String summariseBlock(List<SummaryItem> block) {
    return ask("Here are items a shopper interacted with, oldest first:\n" + items(block)
        + "\nSummarise this shopper's preferences in at most " + model.maxTokens() + " tokens.");
  }

  @Override
  public String summariseSummaries(List<String> summaries) {
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < summaries.size(); i++) parts.append(i + 1).append(". ").append(summaries.get(i)).append('\n');
    return ask("Here are summaries of a shopper's preferences over consecutive periods, oldest first:\n" + parts
        + "Merge them into one profile of at most " + model.maxTokens() + " tokens, weighing recent periods more.");
  }

  @Override
  public String update(String previous, List<SummaryItem> block) {
    return ask("A shopper's preference profile so far:\n" + previous + "\n\nItems the shopper interacted with since, oldest first:\n"
        + items(block) + "\nRewrite the profile to include what the new items show, at most " + model.maxTokens() + " tokens.");
  }

  @Override
  public String render(String summary) {
    return summary;
  }

  @Override
  public String version() {
    return "chat-v1(" + model.describe() + ")";
  }

  /** The model it asks (for an endpoint, the client with its counters). */
  public ChatModel model() {
    return model;
  }

  private String items(List<SummaryItem> block) {
    return block.stream().map(i -> "- title is " + i.title() + (i.attributes().isEmpty() ? "" : "; " + ItemText.of(new java.util.TreeMap<>(i.attributes()), maxValueChars)))
        .collect(Collectors.joining("\n"));
  }

  private String ask(String user) {
    try {
      return model.complete(SYSTEM, user);
    } catch (ChatException e) {
      throw new SummaryFailedException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SummaryFailedException("interrupted", e);
    }
  }

  /** The endpoint gave no usable summary; the reason says why. */
  public static final class SummaryFailedException extends RuntimeException {
    SummaryFailedException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}
