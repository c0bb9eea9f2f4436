package org.lmrec.trsr;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lmrec.data.ItemText;
import org.lmrec.summary.SummaryItem;

/**
 * LLM-TRSR's ranking prompt (METHODS.md section 3): an instruction, the user's preference summary,
 * the last few items and one candidate, asking whether the user will interact with the candidate
 * next. The LM reads it and answers yes or no ({@link YesNoScore}).
 *
 * @param recentItems how many of the newest history items the prompt shows (3 to 5 in the paper)
 * @param maxValueChars each attribute value is cut to this many characters
 */
public record RankingPrompt(int recentItems, int maxValueChars) {
  public static final String INSTRUCTION = "Given the shopper's preference profile and the items they interacted with most recently, "
      + "answer yes or no: will the shopper interact with the candidate item next?";

  public static RankingPrompt defaults() {
    return new RankingPrompt(5, 100);
  }

  public RankingPrompt {
    if (recentItems < 1) throw new IllegalArgumentException("the prompt shows at least one recent item, got " + recentItems);
    if (maxValueChars < 1) throw new IllegalArgumentException("max value chars must be at least 1");
  }

  /** The prompt for {@code candidate} after {@code history} (oldest first); an empty summary is left out. */
  public String text(String summary, List<SummaryItem> history, SummaryItem candidate) {
    return context(summary) + items(history, candidate);
  }

  /** The prompt's first part: the instruction and the profile line (what a token budget may cut). */
  public String context(String summary) {
    StringBuilder sb = new StringBuilder(INSTRUCTION).append('\n');
    if (summary != null && !summary.isBlank()) sb.append("Profile: ").append(summary.strip()).append('\n');
    return sb.toString();
  }

  /** The prompt's second part: the recent items and the candidate (what a token budget must keep). */
  public String items(List<SummaryItem> history, SummaryItem candidate) {
    StringBuilder sb = new StringBuilder("Recent items:\n");
    for (SummaryItem item : history.subList(Math.max(0, history.size() - recentItems), history.size())) {
      sb.append("- ").append(describe(item)).append('\n');
    }
    return sb.append("Candidate: ").append(describe(candidate)).toString();
  }

  private String describe(SummaryItem item) {
    Map<String, String> attributes = new TreeMap<>(item.attributes());
    String rest = ItemText.of(attributes, maxValueChars);
    String title = item.title().length() > maxValueChars ? item.title().substring(0, maxValueChars) : item.title();
    return "title is " + title + (rest.isEmpty() ? "" : "; " + rest);
  }
}
