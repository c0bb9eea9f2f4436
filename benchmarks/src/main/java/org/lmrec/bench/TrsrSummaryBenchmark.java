package org.lmrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LmTokenizer;
import org.lmrec.summary.Blocks;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.lmrec.summary.UserSummary;
import org.lmrec.tensor.Tensor;

/**
 * The cost of LLM-TRSR's summaries with the offline extractive backend (issue 19, item 4): per
 * dataset, every test user's history (everything before the test item) summarised hierarchically
 * and recurrently (blocks of 5, at most 5), wall time per user and the summary's length in words (the
 * summariser's own budget unit) and in the LM's WordPiece tokens, plus a few example summaries.
 * The base LM's item embeddings (which the summariser picks central titles by) are computed, or read
 * from the stage cache, once per catalogue beforehand; their time is reported apart.
 *
 * <p>Usage: {@code benchmarks/run.sh trsr stage=summaries [datasets=office,games] [facets and tokenBudget:
 * RankerConfig's defaults] [examples=3] [rounds=3] [workDir=runs/bench/trsr] [threads=2]}
 */
final class TrsrSummaryBenchmark {
  private TrsrSummaryBenchmark() {}

  static void run(Args a) {
    int threads = a.getInt("threads", 2);
    LmCheckpoint checkpoint = LmCheckpoint.parse(a.get("lm", "minilm"));
    Path workDir = Path.of(a.get("workDir", "runs/bench/trsr"));
    // the LM ranker's own summary settings (RankerConfig's defaults), so these are the summaries its prompts carry
    ExtractiveSummariser.Options d = ExtractiveSummariser.Options.defaults();
    RankerConfig ranker = RankerConfig.defaults();
    ExtractiveSummariser.Options options = new ExtractiveSummariser.Options(
        List.of(a.get("facets", ranker.promptFacets()).split(",")), d.titles(), d.valuesPerFacet(), a.getInt("tokenBudget", ranker.summaryTokens()), d.recency());
    ExtractiveSummariser summariser = new ExtractiveSummariser(options);
    int rounds = a.getInt("rounds", 3);
    List<String> rows = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    try (LmTokenizer tokenizer = new LmTokenizer(checkpoint)) {
      for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "office,games"))) {
        Dataset data = TrsrData.load(spec, a).orElse(null);
        if (data == null) continue;
        System.out.println("== " + data.summary());
        List<String> texts = ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS);
        StageCache cache = new StageCache(workDir.resolve(spec.name()).resolve("cache"));
        long e0 = System.nanoTime();
        Tensor table = org.lmrec.enhance.ItemEmbedder.frozen(cache, checkpoint, texts, 64, threads);
        double embedSeconds = (System.nanoTime() - e0) / 1e9;
        List<SummaryItem> items = items(data, table);
        List<EvalCase> cases = LeaveOneOutSplit.of(data).test();
        List<List<SummaryItem>> histories = new ArrayList<>(cases.size());
        for (EvalCase c : cases) histories.add(Arrays.stream(c.history()).mapToObj(items::get).toList());
        long summarised = histories.stream().filter(h -> h.size() >= Blocks.DEFAULT_SIZE).count();
        double meanBlocks = histories.stream().mapToInt(h -> Math.min(Blocks.DEFAULT_MAX_BLOCKS, h.size() / Blocks.DEFAULT_SIZE)).average().orElse(0);
        for (SummaryStrategy strategy : SummaryStrategy.values()) {
          UserSummary[] out = new UserSummary[histories.size()];
          double best = Double.MAX_VALUE;
          // round 1 warms the JIT up; the fastest round is reported, as the machine is shared
          for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int u = 0; u < histories.size(); u++) {
              out[u] = strategy.summarise(summariser, histories.get(u), Blocks.DEFAULT_SIZE, Blocks.DEFAULT_MAX_BLOCKS);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s %s round %d: %.2f s for %,d users%n", spec.name(), strategy, r + 1, s, histories.size());
            best = Math.min(best, s);
          }
          long words = 0, lmTokens = 0, maxLm = 0, nonEmpty = 0;
          for (UserSummary s : out) {
            if (s.text().isEmpty()) continue;
            nonEmpty++;
            words += s.text().strip().split("\\s+").length;
            int t = tokenizer.rawIds(s.text()).length;
            lmTokens += t;
            maxLm = Math.max(maxLm, t);
          }
          String row = String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.2f | %.3f | %.1f | %.1f | %d | %.1f |", spec.name(),
              strategy.name().toLowerCase(Locale.ROOT), histories.size(), summarised, meanBlocks, 1000 * best / histories.size(),
              (double) words / Math.max(1, nonEmpty), (double) lmTokens / Math.max(1, nonEmpty), maxLm, embedSeconds);
          System.out.println("SUMMARY " + row);
          rows.add(row);
          if (strategy == SummaryStrategy.HIERARCHICAL) examples.addAll(examples(spec.name(), cases, histories, summariser, a.getInt("examples", 3)));
        }
      }
    }
    System.out.println("\nsummariser " + summariser.version());
    System.out.println("| dataset | strategy | test users | with a complete block | mean blocks | wall ms per user | mean words | mean LM tokens | max LM tokens | item embedding s (once) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.println();
    examples.forEach(System.out::println);
  }

  /** Item index → summariser input: the title (else the item id), the attributes, the base LM's embedding. */
  static List<SummaryItem> items(Dataset data, Tensor table) {
    int h = table.dim(1);
    float[] t = table.data();
    List<SummaryItem> out = new ArrayList<>(data.numItems() + 1);
    out.add(null);
    for (int i = 1; i <= data.numItems(); i++) {
      Map<String, String> attrs = data.itemAttributes(i);
      String title = attrs.getOrDefault("title", data.itemId(i));
      out.add(new SummaryItem(title, attrs, Arrays.copyOfRange(t, i * h, (i + 1) * h)));
    }
    return out;
  }

  /** Both strategies' summaries of a few users with 3+ blocks (evenly spaced through the user order, so reproducible). */
  private static List<String> examples(String dataset, List<EvalCase> cases, List<List<SummaryItem>> histories, ExtractiveSummariser s, int n) {
    List<Integer> long3 = new ArrayList<>();
    for (int u = 0; u < histories.size(); u++) if (histories.get(u).size() >= 3 * Blocks.DEFAULT_SIZE) long3.add(u);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(n, long3.size()); i++) {
      int u = long3.get(i * long3.size() / n);
      out.add(String.format("EXAMPLE %s user %d (%d items before the test item)", dataset, cases.get(u).user(), histories.get(u).size()));
      for (SummaryStrategy st : SummaryStrategy.values()) {
        out.add("  " + st + ": " + st.summarise(s, histories.get(u), Blocks.DEFAULT_SIZE, Blocks.DEFAULT_MAX_BLOCKS).text());
      }
    }
    return out;
  }
}
