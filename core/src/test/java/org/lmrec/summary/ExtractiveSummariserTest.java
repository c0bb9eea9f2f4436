package org.lmrec.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveSummariserTest {
  static SummaryItem item(String title, String category, String brand, float... embedding) {
    return new SummaryItem(title, Map.of("category", category, "brand", brand), embedding);
  }

  /** Three cameras near (1,0,0) and two outliers: the cameras are the block's centre. */
  static List<SummaryItem> cameraBlock() {
    return List.of(
        item("Mirrorless Camera", "Cameras", "Canon", 1f, 0.1f, 0f),
        item("Tripod", "Accessories", "Manfrotto", 0f, 1f, 0f),
        item("Compact Camera", "Cameras", "Canon", 0.9f, 0f, 0.1f),
        item("Garden Hose", "Garden", "Gardena", 0f, 0f, 1f),
        item("Film Camera", "Cameras", "Nikon", 1f, 0f, 0f));
  }

  static List<SummaryItem> gardenBlock() {
    return List.of(
        item("Hedge Trimmer", "Garden", "Bosch", 0f, 0.1f, 1f),
        item("Lawn Mower", "Garden", "Bosch", 0f, 0f, 1f),
        item("Rake", "Garden", "Gardena", 0.1f, 0f, 1f),
        item("Seed Mix", "Garden", "Gardena", 0f, 0.2f, 0.9f),
        item("Camera Strap", "Accessories", "Canon", 1f, 0.2f, 0f));
  }

  static ExtractiveSummariser summariser(int titles, int budget, double recency) {
    return new ExtractiveSummariser(new ExtractiveSummariser.Options(List.of("category", "brand"), titles, 2, budget, recency));
  }

  @Test
  void aBlockIsItsDominantValuesAndItsMostCentralTitles() {
    ExtractiveSummariser s = summariser(2, 64, 1.0);
    String text = s.render(s.summariseBlock(cameraBlock()));
    assertThat(text).isEqualTo("Mostly brand: Canon, Gardena. Mostly category: Cameras, Accessories. "
        + "Typical items: Compact Camera; Mirrorless Camera.");
  }

  @Test
  void theSameInputGivesTheSameSummary() {
    ExtractiveSummariser s = summariser(3, 64, 0.8);
    List<SummaryItem> history = new ArrayList<>(cameraBlock());
    history.addAll(gardenBlock());
    String first = SummaryStrategy.RECURRENT.summarise(s, history, 5, 5).text();
    for (int i = 0; i < 3; i++) assertThat(SummaryStrategy.RECURRENT.summarise(summariser(3, 64, 0.8), history, 5, 5).text()).isEqualTo(first);
  }

  @Test
  void withoutRecencyTheRecurrentSummaryEqualsTheHierarchicalOne() {
    List<SummaryItem> history = new ArrayList<>(cameraBlock());
    history.addAll(gardenBlock());
    history.addAll(cameraBlock());
    ExtractiveSummariser s = summariser(3, 64, 1.0);
    assertThat(SummaryStrategy.RECURRENT.summarise(s, history, 5, 5).text())
        .isEqualTo(SummaryStrategy.HIERARCHICAL.summarise(s, history, 5, 5).text());
  }

  @Test
  void withRecencyTheNewestBlockLeadsTheRecurrentSummary() {
    List<SummaryItem> history = new ArrayList<>(cameraBlock());
    history.addAll(gardenBlock());
    ExtractiveSummariser s = summariser(1, 64, 0.5);
    // Over both blocks Cameras (3) and Garden (5) would lead either way; brand shows the decay:
    // Canon 2 (+1 new) against Gardena 1 (+2 new) and Bosch 2 (new).
    assertThat(SummaryStrategy.HIERARCHICAL.summarise(s, history, 5, 5).text()).startsWith("Mostly brand: Canon, Gardena.");
    assertThat(SummaryStrategy.RECURRENT.summarise(s, history, 5, 5).text()).startsWith("Mostly brand: Gardena, Bosch.");
  }

  @Test
  void theUpdateOfTheLastBlockEqualsTheSummaryFromScratch() {
    // The stream keeps the previous summary and folds in each new block: it must equal the batch job's.
    ExtractiveSummariser s = summariser(3, 64, 0.8);
    List<SummaryItem> history = new ArrayList<>(cameraBlock());
    history.addAll(gardenBlock());
    ExtractiveSummariser.Profile kept = s.summariseBlock(cameraBlock());
    kept = s.update(kept, gardenBlock());
    assertThat(s.render(kept)).isEqualTo(SummaryStrategy.RECURRENT.summarise(s, history, 5, 5).text());
  }

  @Test
  void staysWithinTheTokenBudget() {
    ExtractiveSummariser s = summariser(3, 9, 1.0);
    String text = s.render(s.summariseBlock(cameraBlock()));
    assertThat(text.split("\\s+")).hasSizeLessThanOrEqualTo(9);
    assertThat(text).isEqualTo("Mostly brand: Canon, Gardena. Mostly category: Cameras, Accessories.");
    String cut = summariser(3, 3, 1.0).render(s.summariseBlock(cameraBlock()));
    assertThat(cut).isEqualTo("Mostly brand: Canon,");
  }

  @Test
  void countsTokensWithTheGivenTokenizer() {
    // A counter of characters instead of words: the budget follows whatever the LM counts.
    ExtractiveSummariser s = new ExtractiveSummariser(new ExtractiveSummariser.Options(List.of("category"), 0, 1, 20, 1.0), String::length);
    assertThat(s.render(s.summariseBlock(cameraBlock()))).isEqualTo("Mostly category:");
  }

  @Test
  void withoutEmbeddingsTheNewestItemsAreTypical() {
    ExtractiveSummariser s = new ExtractiveSummariser(new ExtractiveSummariser.Options(List.of(), 2, 0, 64, 1.0));
    List<SummaryItem> plain = cameraBlock().stream().map(i -> new SummaryItem(i.title(), i.attributes(), null)).toList();
    assertThat(s.render(s.summariseBlock(plain))).isEqualTo("Typical items: Film Camera; Garden Hose.");
  }

  @Test
  void theVersionNamesTheSettings() {
    assertThat(summariser(3, 64, 0.8).version()).isEqualTo("extractive-v1(facets=category,brand;titles=3;values=2;budget=64;recency=0.8)");
    assertThat(summariser(3, 64, 0.8).version()).isNotEqualTo(summariser(3, 32, 0.8).version());
  }

  @Test
  void refusesBadSettingsAndMixedDimensions() {
    assertThatThrownBy(() -> summariser(3, 0, 1.0)).hasMessageContaining("token budget");
    assertThatThrownBy(() -> summariser(3, 64, 0.0)).hasMessageContaining("recency");
    List<SummaryItem> mixed = List.of(item("a", "c", "b", 1f, 0f), item("b", "c", "b", 1f));
    assertThatThrownBy(() -> summariser(3, 64, 1.0).summariseBlock(mixed)).hasMessageContaining("dimensions");
  }

  @Test
  void optionsReadBackFromTheirVersionAndOtherVersionsAreRefused() {
    var options = new ExtractiveSummariser.Options(List.of("brand", "categories"), 2, 4, 48, 0.75);
    String version = new ExtractiveSummariser(options).version();
    assertThat(ExtractiveSummariser.Options.ofVersion(version)).isEqualTo(options);
    assertThat(ExtractiveSummariser.Options.ofVersion(new ExtractiveSummariser(ExtractiveSummariser.Options.defaults()).version()))
        .isEqualTo(ExtractiveSummariser.Options.defaults());
    assertThatThrownBy(() -> ExtractiveSummariser.Options.ofVersion("chat-v1(model=x)")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExtractiveSummariser.Options.ofVersion(version.replace("recency=0.75", "recency=0.750")))
        .hasMessageContaining("does not read back");
    assertThatThrownBy(() -> ExtractiveSummariser.Options.ofVersion(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
