package org.lmrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.trsr.LlmTrsrRanker;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvalCases;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.SampledRanking;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.ServingModel;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;
import org.lmrec.trsr.SummaryMode;

/**
 * The LLM-TRSR rows of the table (issue 19, item 4): per dataset and seed, the yes/no LM ranker
 * with each summary mode (recurrent, hierarchical, none = recent items only), fine-tuned and
 * evaluated by {@link LlmTrsrRanker} on a seeded sample of test users under both protocols (1
 * positive + 20 random negatives; SASRec's top-50 re-ranked over the catalogue). It re-ranks the
 * SASRec the baselines stage trained (its weights from {@code sasrec.safetensors}, else trained
 * again with the same seed), and re-scores every baseline row on the same users from their stored
 * per-case ranks, so all rows of one table are over the same users and candidates.
 *
 * <p>Usage: {@code benchmarks/run.sh trsr stage=ranker [datasets=office,games] [seeds=1]
 * [summaries=recurrent,none,hierarchical] [evalUsers=500] [sftUsers=2000] [sftEpochs=1]
 * [workDir=runs/bench/trsr] [threads=2]}; run {@code stage=baselines} first.
 */
final class TrsrRankerStage {
  private static final List<String> BASELINES = List.of("SASRec", "P2Rec-SASRec", "LLMEmb-SASRec");

  private TrsrRankerStage() {}

  static void run(Args a) {
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    LmCheckpoint checkpoint = LmCheckpoint.parse(a.get("lm", "minilm"));
    Path workDir = Path.of(a.get("workDir", "runs/bench/trsr"));
    List<String> rows = new ArrayList<>();
    List<String> costs = new ArrayList<>();
    for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "office,games"))) {
      Dataset data = TrsrData.load(spec, a).orElse(null);
      if (data == null) continue;
      System.out.println("== " + data.summary());
      LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
      StageCache cache = new StageCache(workDir.resolve(spec.name()).resolve("cache"));
      for (String seedText : a.get("seeds", "1").split(",")) {
        long seed = Long.parseLong(seedText.strip());
        Path seedDir = workDir.resolve(spec.name()).resolve("seed" + seed);
        ServingModel sasrec = sasrec(data, spec, seed, seedDir, a);
        RankerConfig base = RankerConfig.defaults().withSeed(seed).edit()
            .set(RankerConfig::evalUsers, a.getInt("evalUsers", 500))
            .set(RankerConfig::maxUsers, a.getInt("sftUsers", 2000))
            .set(RankerConfig::epochs, a.getInt("sftEpochs", 1))
            .build();
        // the users LlmTrsrRanker evaluates: the same seeded sample of the test cases
        List<EvalCase> cases = base.evalUsers() > 0 ? EvalCases.sample(split.test(), base.evalUsers(), base.seed()) : split.test();
        for (String method : BASELINES) {
          Path ranks = seedDir.resolve("ranks-" + method + ".tsv");
          if (!Files.exists(ranks)) {
            System.out.println("no " + ranks + ": the " + method + " row is left out");
            continue;
          }
          rows.add(TrsrTable.row(spec.name(), seed, method, cases.size(), TrsrTable.metrics(ranksOf(ranks, cases)), "see the baselines run"));
          System.out.println("RESULT " + rows.get(rows.size() - 1));
        }
        SampledRanking sampled = new SampledRanking(data.numItems(), base.negatives(), seed);
        Map<String, Double> own = TrsrTable.metrics(TrsrTable.ranks(cases, sampled, sasrec));
        for (String modeText : a.get("summaries", "recurrent,none,hierarchical").split(",")) {
          SummaryMode mode = SummaryMode.parse(modeText);
          RankerConfig config = base.edit().set(RankerConfig::summary, mode).build();
          long t0 = System.nanoTime();
          LlmTrsrRanker.Result r = new LlmTrsrRanker(config, checkpoint, cache, threads).run(data, sasrec, "sasrec", null);
          double wall = (System.nanoTime() - t0) / 1e9;
          Map<String, Double> m = r.metrics();
          String p = "trsr/test/sampled" + config.negatives() + "/";
          String t = "trsr/test/rerank" + config.rerankTop() + "/";
          Map<String, Double> row = new LinkedHashMap<>();
          for (int k : TrsrBenchmark.CUTOFFS) {
            row.put("R@" + k, m.get(p + "ranker/Recall@" + k));
            row.put("MRR@" + k, m.get(p + "ranker/MRR@" + k));
          }
          row.put("full/HR@10", m.get(t + "ranker/HR@10"));
          row.put("full/NDCG@10", m.get(t + "ranker/NDCG@10"));
          String label = switch (mode) {
            case RECURRENT -> "LLM-TRSR-Recurrent";
            case HIERARCHICAL -> "LLM-TRSR-Hierarchical";
            case NONE -> "LLM-TRSR, no summary (recent items only)";
          };
          rows.add(TrsrTable.row(spec.name(), seed, label, r.test().users(), row, String.format(Locale.ROOT, "%.0f s", wall)));
          System.out.println("RESULT " + rows.get(rows.size() - 1));
          // the evaluation's own SASRec on the same candidates must equal the baselines' SASRec on these users
          System.out.printf(Locale.ROOT, "CHECK %s %s: SASRec R@10 %.4f in the ranker's evaluation vs %.4f here; top-50 HR@10 %.4f vs full %.4f%n",
              spec.name(), mode.id(), m.get(p + "sasrec/Recall@10"), own.get("R@10"), m.get(t + "sasrec/HR@10"), own.get("full/HR@10"));
          String cost = String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.1f | %.2f | %.2f | %,d | %.4f (epoch %.0f) |", spec.name(), seed,
              mode.id(), fmt(r.stageSeconds()), fmt1(m.get("trsr/sft/users")), nz(m.get("trsr/timing/sft-seconds-per-epoch")),
              nz(m.get("trsr/timing/summary-ms-per-user")), nz(m.get("trsr/timing/rank-ms-per-candidate")), r.test().prompts(),
              nz(m.get("trsr/validation/MRR@10")), nz(m.get("trsr/sft/best-epoch")));
          costs.add(cost);
          System.out.println("COST " + cost);
        }
      }
    }
    System.out.println();
    System.out.println(TrsrTable.HEADER);
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println("| dataset | seed | summary | stage wall times (s) | SFT users | SFT s/epoch | summary ms/user | ranking ms/candidate | test prompts | validation MRR@10 |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    costs.forEach(System.out::println);
  }

  /** The baselines stage's SASRec for this seed, or the same SASRec trained again (training is deterministic per seed). */
  private static ServingModel sasrec(Dataset data, BenchmarkDatasets spec, long seed, Path seedDir, Args a) {
    ModelConfig cfg = EnhancerBenchmark.config(ModelKind.SASREC, spec, seed);
    Path file = seedDir.resolve(TrsrBenchmark.SASREC_WEIGHTS);
    if (Files.exists(file)) {
      System.out.println("SASRec from " + file);
      return new ServingModel("sasrec", cfg, SafeTensors.read(file), data.itemIds());
    }
    System.out.println("no " + file + ": training SASRec seed " + seed + " again");
    TrainingOptions options = new TrainingOptions(a.getInt("epochs", 200), a.getInt("evalEvery", 1), a.getInt("patience", 5), true, 0L);
    TrainingPipeline.Result r = TrainingPipeline.run(data, new TrainingPipeline.Settings(cfg, options, a.getInt("validationUsers", 10_000), null), null);
    try {
      SafeTensors.write(file, r.weights());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ServingModel("sasrec", cfg, r.weights(), data.itemIds());
  }

  /** The stored per-case ranks of {@code cases}' users, in their order: {@code [0]} sampled, {@code [1]} full. */
  static int[][] ranksOf(Path file, List<EvalCase> cases) {
    Map<Integer, int[]> byUser = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) continue;
        String[] f = line.split("\t");
        byUser.put(Integer.parseInt(f[0]), new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int[][] out = new int[2][cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      int[] r = byUser.get(cases.get(i).user());
      if (r == null) throw new IllegalStateException(file + " has no rank for user " + cases.get(i).user());
      out[0][i] = r[0];
      out[1][i] = r[1];
    }
    return out;
  }

  private static String fmt(Map<String, Double> sec) {
    StringBuilder sb = new StringBuilder();
    sec.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.0f", v)));
    return sb.toString();
  }

  private static String fmt1(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static double nz(Double v) {
    return v == null ? Double.NaN : v;
  }
}
