package org.lmrec.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The two strategies' call structure, seen through a backend that writes down what it was asked. */
class SummaryStrategyTest {
  /** Summaries are expressions: B(items) for a block, H(...) for hierarchical, R(prev|items) for recurrent. */
  static final class Transcript implements Summariser<String> {
    @Override public String summariseBlock(List<SummaryItem> block) {
      return "B(" + titles(block) + ")";
    }
    @Override public String summariseSummaries(List<String> summaries) {
      return "H(" + String.join(",", summaries) + ")";
    }
    @Override public String update(String previous, List<SummaryItem> block) {
      return "R(" + previous + "|" + titles(block) + ")";
    }
    @Override public String render(String summary) {
      return summary;
    }
    @Override public String version() {
      return "transcript";
    }
    static String titles(List<SummaryItem> block) {
      return block.stream().map(SummaryItem::title).collect(Collectors.joining());
    }
  }

  static List<SummaryItem> history(int n) {
    return IntStream.range(0, n).mapToObj(i -> new SummaryItem(Character.toString('a' + i), Map.of(), null)).toList();
  }

  @Test
  void hierarchicalSummarisesEachBlockThenTheBlockSummaries() {
    UserSummary s = SummaryStrategy.HIERARCHICAL.summarise(new Transcript(), history(12), 5, 5);
    assertThat(s.text()).isEqualTo("H(B(abcde),B(fghij))");
    assertThat(s.blocks()).isEqualTo(2);
    assertThat(s.summariserVersion()).isEqualTo("transcript");
  }

  @Test
  void recurrentFoldsEachBlockIntoThePreviousSummary() {
    UserSummary s = SummaryStrategy.RECURRENT.summarise(new Transcript(), history(15), 5, 5);
    assertThat(s.text()).isEqualTo("R(R(B(abcde)|fghij)|klmno)");
  }

  @Test
  void oneBlockIsItsOwnSummaryInBothStrategies() {
    for (SummaryStrategy strategy : SummaryStrategy.values()) {
      assertThat(strategy.summarise(new Transcript(), history(7), 5, 5).text()).isEqualTo("B(abcde)");
    }
  }

  @Test
  void atMostMaxBlocksTheMostRecentOnes() {
    UserSummary s = SummaryStrategy.HIERARCHICAL.summarise(new Transcript(), history(12), 2, 3);
    assertThat(s.text()).isEqualTo("H(B(gh),B(ij),B(kl))");
    assertThat(s.blocks()).isEqualTo(3);
  }

  @Test
  void noCompleteBlockIsNoSummary() {
    UserSummary s = SummaryStrategy.RECURRENT.summarise(new Transcript(), history(4), 5, 5);
    assertThat(s).isEqualTo(UserSummary.none("transcript"));
  }
}
