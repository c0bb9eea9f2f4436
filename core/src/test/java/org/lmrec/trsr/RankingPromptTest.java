package org.lmrec.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lmrec.summary.SummaryItem;

class RankingPromptTest {
  static List<SummaryItem> history(int n) {
    return IntStream.range(0, n).mapToObj(i -> new SummaryItem("item " + i, Map.of("category", "Cameras"), null)).toList();
  }

  @Test
  void instructionSummaryTheLastItemsAndTheCandidate() {
    String text = new RankingPrompt(3, 100).text("Likes cameras.", history(6), new SummaryItem("Tripod", Map.of("brand", "Manfrotto"), null));
    assertThat(text).isEqualTo(RankingPrompt.INSTRUCTION + "\n"
        + "Profile: Likes cameras.\n"
        + "Recent items:\n"
        + "- title is item 3; category is Cameras\n"
        + "- title is item 4; category is Cameras\n"
        + "- title is item 5; category is Cameras\n"
        + "Candidate: title is Tripod; brand is Manfrotto");
  }

  @Test
  void withoutASummaryTheProfileLineIsLeftOut() {
    // The ablation "recent items only" is this prompt.
    String text = RankingPrompt.defaults().text("", history(2), new SummaryItem("x", Map.of(), null));
    assertThat(text).doesNotContain("Profile:").contains("- title is item 0").endsWith("Candidate: title is x");
  }

  @Test
  void cutsLongValues() {
    String text = new RankingPrompt(1, 5).text(null, List.of(), new SummaryItem("A very long title", Map.of("brand", "Brandname"), null));
    assertThat(text).endsWith("Candidate: title is A ver; brand is Brand");
    assertThatThrownBy(() -> new RankingPrompt(0, 5)).hasMessageContaining("at least one recent item");
  }
}
