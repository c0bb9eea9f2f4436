package org.lmrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.llmemb.LlmEmbEnhancer;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.P2RecEnhancer;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.SampledRanking;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.ServingModel;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;

/**
 * The LLM-TRSR quality table's baselines (issue 19, item 4): per dataset and seed, SASRec,
 * P2Rec-SASRec and LLMEmb-SASRec, each chosen on validation only (early stopping on validation
 * NDCG@10, as every other table), then scored on the test users under the paper's protocol (1 positive
 * + 20 random negatives, the same negatives for every method: {@link SampledRanking} draws them from
 * (seed, user) alone) with Recall@3/5/10 and MRR@3/5/10, and by full ranking (HR/NDCG@10) for
 * reference. It also writes, per dataset and seed, every evaluated test case with its 20 negatives
 * and SASRec's top-50 over the whole catalogue ({@code cases.tsv}), which the LM ranker's rows are
 * scored on, so every row of the table sees the same candidates.
 *
 * <p>{@code stage=summaries} runs {@link TrsrSummaryBenchmark} instead, {@code stage=ranker} the LM
 * ranker's rows ({@link TrsrRankerStage}).
 *
 * <p>Usage: {@code TrsrBenchmark [stage=baselines] [datasets=office,games] [seeds=1] [methods=sasrec,p2rec,llmemb]
 * [negatives=20] [topN=50] [evalUsers=0 (all test users)] [gamesUsers=6000] [epochs=200] [patience=5]
 * [workDir=runs/bench/trsr] [threads=2]} plus the P2Rec/LLMEmb keys of {@link EnhancerBenchmark}.
 */
public final class TrsrBenchmark {
  static final int[] CUTOFFS = {3, 5, 10};
  static final String SASREC_WEIGHTS = "sasrec.safetensors";

  public static void main(String[] args) {
    Args a = new Args(args);
    switch (a.get("stage", "baselines")) {
      case "baselines" -> {}
      case "summaries" -> {
        TrsrSummaryBenchmark.run(a);
        return;
      }
      case "ranker" -> {
        TrsrRankerStage.run(a);
        return;
      }
      default -> throw new IllegalArgumentException("unknown stage '" + a.get("stage", "") + "'; known: baselines, summaries, ranker");
    }
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    TrainingOptions options = new TrainingOptions(
        a.getInt("epochs", 200), a.getInt("evalEvery", 1), a.getInt("patience", 5), true, 60L * a.getInt("maxMinutes", 0));
    LmCheckpoint checkpoint = LmCheckpoint.parse(a.get("lm", "minilm"));
    Path workDir = Path.of(a.get("workDir", "runs/bench/trsr"));
    int negatives = a.getInt("negatives", 20);
    int topN = a.getInt("topN", 50);
    Set<String> methods = Set.of(a.get("methods", "sasrec,p2rec,llmemb").split(","));
    List<String> rows = new ArrayList<>();
    for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "office,games"))) {
      Dataset data = TrsrData.load(spec, a).orElse(null);
      if (data == null) continue;
      System.out.println("== " + data.summary());
      List<String> texts = ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS);
      LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
      StageCache cache = new StageCache(workDir.resolve(spec.name()).resolve("cache"));
      for (String seedText : a.get("seeds", "1").split(",")) {
        long seed = Long.parseLong(seedText.strip());
        List<EvalCase> cases = TrsrData.testCases(split, a.getInt("evalUsers", 0), seed);
        SampledRanking sampled = new SampledRanking(data.numItems(), negatives, seed);
        ModelConfig sasrec = EnhancerBenchmark.config(ModelKind.SASREC, spec, seed);
        Map<String, Double> sec = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        TrainingPipeline.Result id = train(data, sasrec, options, a);
        sec.put("sasrec", (System.nanoTime() - t0) / 1e9);
        ServingModel idModel = serving("sasrec", id, data);
        Path caseFile = workDir.resolve(spec.name()).resolve("seed" + seed).resolve("cases.tsv");
        TrsrCases.write(caseFile, cases, sampled, idModel, topN);
        System.out.println("wrote " + cases.size() + " cases (" + negatives + " negatives, SASRec top-" + topN + ") to " + caseFile);
        Path seedDir = caseFile.getParent();
        // the LM ranker's rows re-rank this very SASRec: kept so that stage need not train it again
        try {
          org.lmrec.artifact.SafeTensors.write(seedDir.resolve(SASREC_WEIGHTS), id.weights());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        rows.add(row(seedDir, spec, seed, "SASRec", cases, sampled, idModel, id, sec.get("sasrec")));
        Tensor idTable = id.weights().get("item_embedding");

        if (methods.contains("p2rec")) {
          P2RecConfig p2 = EnhancerBenchmark.p2recConfig(a, seed);
          long s0 = System.nanoTime();
          P2RecEnhancer.Result r = new P2RecEnhancer(p2, checkpoint, cache, threads).run(texts, split.trainSequences(), idTable, sasrec.dim(), null);
          TrainingPipeline.Result t = TrainingPipeline.run(data, settings(sasrec, options, a), r.init());
          double s = (System.nanoTime() - s0) / 1e9;
          sec.put("p2rec (SFT + SASRec)", s);
          rows.add(row(seedDir, spec, seed, "P2Rec-SASRec", cases, sampled, serving("p2rec", t, data), t, s));
        }
        if (methods.contains("llmemb")) {
          LlmEmbConfig llm = EnhancerBenchmark.llmembConfig(a, seed);
          long s0 = System.nanoTime();
          LlmEmbEnhancer.Result r = new LlmEmbEnhancer(llm, checkpoint, cache, threads).run(texts, idTable, sasrec.dim(), null);
          TrainingPipeline.Result t = TrainingPipeline.run(data, settings(sasrec, options, a), r.init());
          double s = (System.nanoTime() - s0) / 1e9;
          sec.put("llmemb (SCFT + RAT SASRec)", s);
          rows.add(row(seedDir, spec, seed, "LLMEmb-SASRec", cases, sampled, serving("llmemb", t, data), t, s));
        }
        System.out.println("TIMING " + spec.name() + " seed " + seed + ": " + sec);
      }
    }
    System.out.println();
    System.out.println(TrsrTable.HEADER);
    rows.forEach(System.out::println);
  }

  private static String row(Path seedDir, BenchmarkDatasets spec, long seed, String method, List<EvalCase> cases, SampledRanking sampled,
      ServingModel model, TrainingPipeline.Result r, double seconds) {
    int[][] ranks = TrsrTable.ranks(cases, sampled, model);
    TrsrTable.writeRanks(seedDir.resolve("ranks-" + method + ".tsv"), cases, ranks);
    Map<String, Double> m = TrsrTable.metrics(ranks);
    String row = TrsrTable.row(spec.name(), seed, method, cases.size(), m,
        String.format(Locale.ROOT, "%.0f s (best epoch %d)", seconds, r.report().bestEpoch()));
    System.out.println("RESULT " + row);
    return row;
  }

  private static ServingModel serving(String version, TrainingPipeline.Result r, Dataset data) {
    return new ServingModel(version, r.config(), r.weights(), data.itemIds());
  }

  private static TrainingPipeline.Settings settings(ModelConfig cfg, TrainingOptions options, Args a) {
    return new TrainingPipeline.Settings(cfg, options, a.getInt("validationUsers", 10_000), null);
  }

  private static TrainingPipeline.Result train(Dataset data, ModelConfig cfg, TrainingOptions options, Args a) {
    return TrainingPipeline.run(data, settings(cfg, options, a), null);
  }

  static void writeString(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
