package org.lmrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.eval.RankingMetrics;

class ReplayReportTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final double EPS = 1e-12;

  /** A served list of {@code size} filler items with {@code target} at {@code rank} (-1: absent). */
  private static List<String> listWith(String target, int rank, int size) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < size; i++) list.add("filler" + i);
    if (rank >= 0) list.set(rank, target);
    return list;
  }

  private static ReplayOutcome outcome(String model, String event, long time, String target, int rank, int size) {
    return ReplayOutcome.of(model, "u-" + event, event, time, target, listWith(target, rank, size));
  }

  private static ReplaySettings settings(int... cutoffs) {
    return ReplaySettings.of(cutoffs, Duration.ofDays(1), 1000, "Replay test");
  }

  @Test
  void metricsMatchHandComputedValues() {
    // ranks 0, 2, miss, and 6 (in the list of 8, but below K = 5)
    ReplayReport report = ReplayReport.builder(settings(1, 3, 5))
        .accept(outcome("m", "e1", 0, "t", 0, 8))
        .accept(outcome("m", "e2", 0, "t", 2, 8))
        .accept(outcome("m", "e3", 0, "t", -1, 8))
        .accept(outcome("m", "e4", 0, "t", 6, 8))
        .itemPopularity(Map.of())
        .build();
    ModelSummary m = report.model("m");
    assertThat(m.cases()).isEqualTo(4);
    assertThat(m.emptyLists()).isZero();
    assertThat(m.metric("HR@1")).isCloseTo(1 / 4.0, within(EPS));
    assertThat(m.metric("NDCG@1")).isCloseTo(1 / 4.0, within(EPS));
    assertThat(m.metric("MRR@1")).isCloseTo(1 / 4.0, within(EPS));
    assertThat(m.metric("HR@3")).isCloseTo(2 / 4.0, within(EPS));
    assertThat(m.metric("NDCG@3")).isCloseTo((1 + 1 / 2.0) / 4, within(EPS)); // 1/log2(2) + 1/log2(4)
    assertThat(m.metric("MRR@3")).isCloseTo((1 + 1 / 3.0) / 4, within(EPS));
    assertThat(m.metric("HR@5")).isCloseTo(2 / 4.0, within(EPS));
    assertThat(m.metric("NDCG@5")).isCloseTo((1 + 1 / 2.0) / 4, within(EPS));
    assertThat(m.metric("MRR@5")).isCloseTo((1 + 1 / 3.0) / 4, within(EPS));
    assertThatThrownBy(() -> m.metric("NDCG@10")).hasMessageContaining("no metric 'NDCG@10'").hasMessageContaining("HR@5");
  }

  @Test
  void metricsEqualThePerCaseAverageOfTheOfflineDefinitions() {
    Random random = new Random(7);
    int[] cutoffs = {5, 10, 20};
    ReplayReport.Builder builder = ReplayReport.builder(settings(cutoffs)).itemPopularity(Map.of());
    List<Integer> ranks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int rank = random.nextInt(30) - 1; // -1 .. 28 in a list of 30
      ranks.add(rank);
      builder.accept(outcome("m", "e" + i, i * 1000L, "t", rank, 30));
    }
    ModelSummary m = builder.build().model("m");
    for (int k : cutoffs) {
      double hr = 0;
      double ndcg = 0;
      double mrr = 0;
      for (int rank : ranks) {
        int r = rank < 0 ? Integer.MAX_VALUE - 2 : rank; // a miss: beyond every cutoff
        hr += RankingMetrics.hitRate(r, k);
        ndcg += RankingMetrics.ndcg(r, k);
        mrr += RankingMetrics.reciprocalRank(r, k);
      }
      assertThat(m.metric("HR@" + k)).isCloseTo(hr / ranks.size(), within(1e-12));
      assertThat(m.metric("NDCG@" + k)).isCloseTo(ndcg / ranks.size(), within(1e-12));
      assertThat(m.metric("MRR@" + k)).isCloseTo(mrr / ranks.size(), within(1e-12));
    }
  }

  @Test
  void emptyListsAreMissesAndAreCounted() {
    ReplayReport report = ReplayReport.builder(settings(5))
        .accept(outcome("m", "e1", 0, "t", 0, 5))
        .accept(ReplayOutcome.of("m", "u", "e2", 0, "t", List.of()))
        .accept(ReplayOutcome.of("m", "u", "e3", DAY, "t", List.of()))
        .itemPopularity(Map.of())
        .build();
    ModelSummary m = report.model("m");
    assertThat(m.cases()).isEqualTo(3);
    assertThat(m.emptyLists()).isEqualTo(2);
    assertThat(m.metric("HR@5")).isCloseTo(1 / 3.0, within(EPS));
    assertThat(m.byWindow()).extracting(WindowSummary::emptyLists).containsExactly(1L, 1L);
    assertThat(m.byWindow().get(1).metric("HR@5")).isZero();
  }

  @Test
  void splitsByTimeWindowInUtcAndChronologically() {
    ReplayReport report = ReplayReport.builder(settings(5))
        .accept(outcome("m", "late", 2 * DAY + 5, "t", -1, 5))
        .accept(outcome("m", "a", 10, "t", 0, 5))
        .accept(outcome("m", "b", DAY - 1, "t", 1, 5))
        .accept(outcome("m", "before-1970", -1, "t", 0, 5))
        .itemPopularity(Map.of())
        .build();
    List<WindowSummary> windows = report.model("m").byWindow();
    assertThat(windows).extracting(WindowSummary::startMillis).containsExactly(-DAY, 0L, 2 * DAY);
    assertThat(windows).extracting(WindowSummary::cases).containsExactly(1L, 2L, 1L);
    assertThat(windows.get(1).metric("MRR@5")).isCloseTo((1 + 1 / 2.0) / 2, within(EPS));
    assertThat(windows.get(2).metric("HR@5")).isZero();
    assertThat(report.json()).contains("\"start\" : \"1969-12-31T00:00:00Z\"");
  }

  @Test
  void splitsByPopularityOfTheTarget() {
    // counts hot=5 warm=4 mild=3, seven items at 1, in a catalogue of 10: head = count >= 4 = {hot, warm}
    Map<String, Long> popularity = new HashMap<>(Map.of("hot", 5L, "warm", 4L, "mild", 3L));
    for (int i = 0; i < 7; i++) popularity.put("cold" + i, 1L);
    ReplaySettings s = ReplaySettings.of(new int[] {5}, Duration.ofDays(1), 10, "groups");
    List<ReplayOutcome> outcomes = List.of(
        ReplayOutcome.of("m", "u", "e1", 0, "hot", List.of("hot", "mild", "cold0", "cold1", "cold2")),
        ReplayOutcome.of("m", "u", "e2", 0, "warm", List.of("hot", "mild", "cold0", "cold1", "cold2")),
        ReplayOutcome.of("m", "u", "e3", 0, "mild", List.of("hot", "warm", "cold0", "cold1", "mild")),
        ReplayOutcome.of("m", "u", "e4", 0, "unknown-to-the-log", List.of("hot", "warm", "cold0", "cold1", "mild")));
    ReplayReport.Builder builder = ReplayReport.builder(s);
    outcomes.forEach(builder::accept);
    // popularity given after the outcomes, in two parts that add up (hot: 2 + 3)
    Map<String, Long> firstPart = new HashMap<>(popularity);
    firstPart.put("hot", 2L);
    ReplayReport report = builder.itemPopularity(firstPart).itemPopularity(Map.of("hot", 3L)).build();
    assertThat(report.popularity().threshold()).isEqualTo(4);
    ModelSummary m = report.model("m");
    assertThat(m.byGroup()).containsOnlyKeys("tail", "head");
    assertThat(m.byGroup().keySet()).containsExactly("tail", "head");
    ReplayMetrics head = m.group("head");
    ReplayMetrics tail = m.group("tail");
    assertThat(head.cases()).isEqualTo(2); // hot (rank 0), warm (miss)
    assertThat(head.metric("HR@5")).isCloseTo(0.5, within(EPS));
    assertThat(tail.cases()).isEqualTo(2); // mild (rank 4), an item absent from the log (miss)
    assertThat(tail.metric("MRR@5")).isCloseTo(1 / 5.0 / 2, within(EPS));
    assertThat(tail.metric("NDCG@5")).isCloseTo(1 / (Math.log(6) / Math.log(2)) / 2, within(EPS));
  }

  @Test
  void aGroupWithoutCasesHasNanMetricsWrittenAsNullAndDash() throws Exception {
    ReplayReport report = ReplayReport.builder(settings(5)).accept(outcome("m", "e", 0, "t", 0, 5)).itemPopularity(Map.of()).build();
    assertThat(report.model("m").group("head").cases()).isZero();
    assertThat(report.model("m").group("head").metric("HR@5")).isNaN();
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.at("/models/0/byGroup/head/metrics/HR@5").isNull()).isTrue();
    assertThat(json.at("/models/0/byGroup/tail/metrics/HR@5").asDouble()).isEqualTo(1.0);
    assertThat(report.markdown()).contains("| head targets | 0 | 0 | - | - |");
  }

  @Test
  void coverageCountsDistinctItemsInTheTopMaxKOverallAndPerWindow() {
    ReplaySettings s = ReplaySettings.of(new int[] {2, 3}, Duration.ofDays(1), 10, "coverage");
    ReplayReport report = ReplayReport.builder(s)
        // day 0: a b c (d beyond the top 3 does not count), then b c e
        .accept(ReplayOutcome.of("m", "u", "e1", 0, "a", List.of("a", "b", "c", "d")))
        .accept(ReplayOutcome.of("m", "u", "e2", 1, "x", List.of("b", "c", "e")))
        // day 1: a f g, and an empty list
        .accept(ReplayOutcome.of("m", "u", "e3", DAY, "g", List.of("a", "f", "g")))
        .accept(ReplayOutcome.of("m", "u", "e4", DAY, "g", List.of()))
        .accept(ReplayOutcome.of("other", "u", "e1", 0, "a", List.of("a", "b", "c")))
        .itemPopularity(Map.of())
        .build();
    ModelSummary m = report.model("m");
    assertThat(m.distinctItemsShown()).isEqualTo(6); // a b c e f g
    assertThat(m.coverage()).isCloseTo(0.6, within(EPS));
    assertThat(m.byWindow()).extracting(WindowSummary::distinctItemsShown).containsExactly(4, 3);
    assertThat(m.byWindow()).extracting(WindowSummary::coverage).containsExactly(0.4, 0.3);
    assertThat(report.model("other").coverage()).isCloseTo(0.3, within(EPS));
  }

  @Test
  void theSameOutcomesInAnyOrderGiveByteIdenticalReports() {
    List<ReplayOutcome> outcomes = randomOutcomes(new Random(2024), 1500);
    Map<String, Long> popularity = new HashMap<>();
    for (ReplayOutcome o : outcomes) popularity.merge(o.nextItemId(), 1L, Long::sum);
    ReplaySettings s = ReplaySettings.of(new int[] {5, 10, 20}, Duration.ofHours(12), 200, "Shuffled replay");
    ReplayReport reference = report(s, outcomes, popularity);
    String json = reference.json();
    String markdown = reference.markdown();
    byte[] png = reference.png("NDCG@10");
    for (long seed : new long[] {1, 2, 3, 4}) {
      List<ReplayOutcome> shuffled = new ArrayList<>(outcomes);
      Collections.shuffle(shuffled, new Random(seed));
      ReplayReport other = report(s, shuffled, popularity);
      assertThat(other.json()).as("json, shuffle %d", seed).isEqualTo(json);
      assertThat(other.markdown()).as("markdown, shuffle %d", seed).isEqualTo(markdown);
      assertThat(other.png("NDCG@10")).as("png, shuffle %d", seed).isEqualTo(png);
    }
    // ...while a different multiset gives a different report, so the comparison above can fail
    assertThat(report(s, outcomes.subList(1, outcomes.size()), popularity).json()).isNotEqualTo(json);
  }

  @Test
  void aChosenWindowFollowsTheSpanAndDoesNotDependOnArrivalOrder() {
    // Ten minutes of events, as in the local demo's archive: 10-second windows, not one daily dot.
    Random random = new Random(7);
    List<ReplayOutcome> outcomes = new ArrayList<>();
    long start = 1_765_054_980_000L;
    for (int e = 0; e < 3000; e++) {
      long time = start + random.nextInt(600_000);
      String target = "i" + random.nextInt(100);
      outcomes.add(outcome("m", "e" + e, time, target, Math.max(-1, random.nextInt(25) - 5), 20));
    }
    Map<String, Long> popularity = Map.of("i1", 1L);
    ReplaySettings chosen = ReplaySettings.of(new int[] {5, 10, 20}, null, 200, "Chosen window");
    ReplayReport report = report(chosen, outcomes, popularity);
    assertThat(report.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(report.model("m").byWindow()).hasSizeBetween(60, 61);
    assertThat(report.model("m").byWindow()).extracting(WindowSummary::cases).allMatch(c -> c > 0);
    assertThat(report.model("m").byWindow().stream().mapToLong(WindowSummary::cases).sum()).isEqualTo(3000);
    assertThat(report.markdown()).contains("Windows: 10 seconds (UTC, chosen from the replayed span).");
    // The builder starts with 1-second windows and merges them as the span grows: any order of
    // arrival ends in the same windows, the same as the width given outright.
    for (long seed : new long[] {1, 2}) {
      List<ReplayOutcome> shuffled = new ArrayList<>(outcomes);
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(report(chosen, shuffled, popularity).json()).as("shuffle %d", seed).isEqualTo(report.json());
    }
    ReplayReport given = report(ReplaySettings.of(new int[] {5, 10, 20}, Duration.ofSeconds(10), 200, "Chosen window"), outcomes, popularity);
    assertThat(given.model("m").byWindow()).isEqualTo(report.model("m").byWindow());
    assertThat(given.markdown()).contains("Windows: 10 seconds (UTC).");
  }

  @Test
  void aModelWithSmallerRanksRanksFirst() {
    Random random = new Random(11);
    ReplayReport.Builder builder = ReplayReport.builder(settings(5, 10, 20)).itemPopularity(Map.of());
    for (int i = 0; i < 300; i++) {
      long time = i * 3_600_000L;
      int good = random.nextInt(8); // always in the top 10
      int bad = 5 + random.nextInt(25) - (random.nextInt(4) == 0 ? 6 : 0); // mostly lower, sometimes missing
      builder.accept(outcome("v3-good", "e" + i, time, "t", good, 30));
      builder.accept(outcome("a-worse", "e" + i, time, "t", Math.max(bad, -1), 30));
      builder.accept(outcome("z-same-as-good", "e" + i, time, "t", good, 30));
    }
    ReplayReport report = builder.build();
    assertThat(report.models()).extracting(ModelSummary::model).containsExactly("a-worse", "v3-good", "z-same-as-good");
    assertThat(report.ranking("NDCG@10")).containsExactly("v3-good", "z-same-as-good", "a-worse");
    assertThat(report.markdown()).contains("**Ranking by NDCG@10:** v3-good (");
    assertThatThrownBy(() -> report.ranking("NDCG@7")).hasMessageContaining("no metric 'NDCG@7'");
  }

  @Test
  void refusesAServedListShorterThanTheLargestCutoff() {
    ReplayReport.Builder builder = ReplayReport.builder(settings(5, 10))
        .itemPopularity(Map.of())
        .accept(outcome("m", "ok", 0, "t", 0, 10))
        .accept(ReplayOutcome.of("m", "u", "empty-is-fine", 0, "t", List.of()))
        .accept(outcome("m", "e9", 0, "t", 0, 8))
        .accept(outcome("m", "e2", 0, "t", 0, 6));
    assertThatThrownBy(builder::build)
        .hasMessageContaining("model 'm' served 6 items for event 'e2' but the largest cutoff is 10")
        .hasMessageContaining("undefined");
  }

  @Test
  void refusesToBuildWithoutOutcomesPopularityOrEnoughCatalogue() {
    assertThatThrownBy(() -> ReplayReport.builder(settings(5)).itemPopularity(Map.of()).build()).hasMessageContaining("no replay outcomes");
    assertThatThrownBy(() -> ReplayReport.builder(settings(5)).accept(outcome("m", "e", 0, "t", 0, 5)).build())
        .hasMessageContaining("itemPopularity(...) was never given");
    ReplaySettings tiny = ReplaySettings.of(new int[] {5}, Duration.ofDays(1), 3, "t");
    assertThatThrownBy(() -> ReplayReport.builder(tiny).accept(outcome("m", "e", 0, "t", 0, 5)).itemPopularity(Map.of()).build())
        .hasMessageContaining("showed 5 distinct items but the catalogue size is 3");
  }

  @Test
  void writesJsonMarkdownAndChartsAtomically(@TempDir Path tmp) throws Exception {
    List<ReplayOutcome> outcomes = randomOutcomes(new Random(5), 200);
    ReplaySettings s = ReplaySettings.of(new int[] {5, 10, 20}, Duration.ofDays(1), 200, "Written replay");
    ReplayReport report = report(s, outcomes, Map.of("i1", 30L));
    Path dir = tmp.resolve("out/nested");
    List<Path> written = report.writeTo(dir);
    assertThat(written).extracting(p -> p.getFileName().toString())
        .containsExactly("replay-report.json", "replay-report.md", "ndcg-at-10.png", "hr-at-10.png");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("hr-at-10.png", "ndcg-at-10.png", "replay-report.json", "replay-report.md"); // no temp files left
    }
    assertThat(Files.readString(dir.resolve("replay-report.json"))).isEqualTo(report.json());
    assertThat(Files.readString(dir.resolve("replay-report.md"))).isEqualTo(report.markdown());
    assertThat(Files.readAllBytes(dir.resolve("hr-at-10.png"))).isEqualTo(report.png("HR@10"));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ndcg-at-10.png"))));
    assertThat(image.getWidth()).isEqualTo(ReplayReport.CHART_WIDTH);
    report.writeTo(dir); // replacing existing files works too
    assertThat(Files.readString(dir.resolve("replay-report.md"))).isEqualTo(report.markdown());
  }

  @Test
  void jsonAndMarkdownCarryTheNumbers() throws Exception {
    ReplayReport report = ReplayReport.builder(settings(5))
        .accept(outcome("as-served", "e1", 0, "t", 2, 5))
        .accept(outcome("as-served", "e2", DAY, "t", -1, 5))
        .itemPopularity(Map.of("t", 3L))
        .build();
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.at("/title").asText()).isEqualTo("Replay test");
    assertThat(json.at("/ranking/metric").asText()).isEqualTo("NDCG@5");
    assertThat(json.at("/models/0/model").asText()).isEqualTo("as-served");
    assertThat(json.at("/models/0/cases").asLong()).isEqualTo(2);
    assertThat(json.at("/models/0/metrics/MRR@5").asDouble()).isCloseTo(1 / 3.0 / 2, within(EPS));
    assertThat(json.at("/models/0/byWindow/1/startMillis").asLong()).isEqualTo(DAY);
    assertThat(json.at("/models/0/byGroup/head/cases").asLong()).isEqualTo(2); // t is the only seen item: head
    assertThat(report.json()).doesNotContain("\r").endsWith("}\n");
    String md = report.markdown();
    assertThat(md).startsWith("# Replay test\n");
    // 6 distinct of 1000 (t replaced filler2 in the first list); HR 1/2, NDCG (1/log2(4))/2, MRR (1/3)/2
    assertThat(md).contains("| all | 2 | 0 | 0.0060 | 0.5000 | 0.2500 | 0.1667 |");
    assertThat(md).contains("| 1970-01-02T00:00:00Z | 1 | 0 | 0.0050 | 0.0000 | 0.0000 | 0.0000 |");
    assertThat(md).contains("Windows: 1 day (UTC).").contains("Head targets: items with >= 1 interactions");
  }

  private static ReplayReport report(ReplaySettings s, List<ReplayOutcome> outcomes, Map<String, Long> popularity) {
    ReplayReport.Builder b = ReplayReport.builder(s);
    outcomes.forEach(b::accept);
    return b.itemPopularity(popularity).build();
  }

  /** Three models over ~5 days; lists of 20 from a catalogue of 150 items, some empty lists. */
  private static List<ReplayOutcome> randomOutcomes(Random random, int events) {
    String[] models = {"v3", "as-served", "v2"};
    List<ReplayOutcome> out = new ArrayList<>();
    for (int e = 0; e < events; e++) {
      long time = 1_700_000_000_000L + (long) (random.nextDouble() * 5 * DAY);
      String target = "i" + random.nextInt(150);
      for (String model : models) {
        List<String> shown = new ArrayList<>();
        if (random.nextInt(20) > 0) {
          while (shown.size() < 20) {
            String item = random.nextInt(3) == 0 ? target : "i" + random.nextInt(150);
            if (!shown.contains(item)) shown.add(item);
          }
        }
        out.add(ReplayOutcome.of(model, "u" + random.nextInt(50), "e" + e, time, target, shown));
      }
    }
    return out;
  }
}
