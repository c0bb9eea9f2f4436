package org.lmrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.EmbeddingReduction;
import org.lmrec.enhance.EnhancedTable;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.enhance.ItemEmbedder;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.llmemb.LlmEmbEnhancer;
import org.lmrec.enhance.llmemb.ScftConfig;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.P2RecEnhancer;
import org.lmrec.enhance.p2rec.SftMode;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;

/**
 * The LM-enhancer quality table: for every dataset and seed, ID-only SASRec and GRU4Rec, the same
 * backbones started from the frozen LM's item embeddings (the "no SFT" ablation), from P2Rec's
 * tuned LM, and trained by LLMEmb's RAT (with its two ablations: without SCFT, without alignment); test HR@10 / NDCG@10 by full ranking, overall and on tail/head items, mean ± std over
 * the seeds, with the change against ID-only. Model selection uses validation only (early stopping
 * on validation NDCG@10). Prints the wall time of every stage.
 *
 * <p>Usage: {@code EnhancerBenchmark [datasets=synthetic,office,games] [seeds=1,2,3] [epochs=200] [patience=5]
 * [evalEvery=1] [maxMinutes=0] [categories=32] [sftEpochs=1] [sftUsers=0] [userTokens=128] [itemTokens=64]
 * [sftMode=user-level] [scftEpochs=1] [scftBatch=32] [pcaDim=384] [alignWeight=0.01]
 * [methods=id,frozen,p2rec,llmemb,llmemb-noscft,llmemb-noalign,llmemb-residual,llmemb-residual-text,llmemb-residual-l2,
 * llmemb-residual-text-l2,llmemb-residual-text-gelu (ID-only always runs; the LLMEmb variants run in the order given)] [residualL2=0.001] [backbones=sasrec,gru4rec] [workDir=runs/bench/work]
 * [threads=2] [sweep=8,16,32,64 (K sweep instead of the table)] [lm=minilm (or DIR; several, comma-separated, share
 * the ID-only models: each method runs once per LM, in the order given, rows tagged with the LM's name before the backbone)]}
 */
public final class EnhancerBenchmark {
  private static final List<String> METRICS = List.of("HR@10", "NDCG@10", "tail/NDCG@10", "head/NDCG@10");
  private static final List<String> METHODS_ALL = List.of("id", "frozen", "p2rec", "llmemb", "llmemb-noscft", "llmemb-noalign", "llmemb-residual",
      "llmemb-residual-text", "llmemb-residual-l2", "llmemb-residual-text-l2",
      "llmemb-residual-text-gelu");
  private static final List<String> LLMEMB_VARIANTS = METHODS_ALL.subList(3, METHODS_ALL.size());
  private static final Map<String, String> LLMEMB_LABELS =
      Map.of("llmemb", "LLMEmb", "llmemb-noscft", "LLMEmb w/o SCFT", "llmemb-noalign", "LLMEmb w/o alignment",
          "llmemb-residual", "LLMEmb + ID residual (variant)",
          "llmemb-residual-text", "LLMEmb + ID residual from text (variant)",
          "llmemb-residual-l2", "LLMEmb + ID residual with L2 (variant)",
          "llmemb-residual-text-l2", "LLMEmb + ID residual from text, L2 to it (variant)",
          "llmemb-residual-text-gelu", "LLMEmb + ID residual from text, GELU adapter (variant)");

  public static void main(String[] args) {
    Args a = new Args(args);
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    TrainingOptions options = new TrainingOptions(
        a.getInt("epochs", 200), a.getInt("evalEvery", 1), a.getInt("patience", 5), true, 60L * a.getInt("maxMinutes", 0));
    List<LmCheckpoint> checkpoints = new ArrayList<>();
    for (String spec : a.get("lm", "minilm").split(",")) checkpoints.add(LmCheckpoint.parse(spec));
    StageCache cache = new StageCache(Path.of(a.get("workDir", "runs/bench/work")));
    List<String> tables = new ArrayList<>();
    List<String> timings = new ArrayList<>();
    for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "synthetic,office,games"))) {
      Optional<Dataset> loaded = spec.load();
      if (loaded.isEmpty()) continue;
      Dataset data = loaded.get();
      System.out.println("== " + data.summary());
      if (!a.get("sweep", "").isBlank()) {
        tables.add(sweep(spec, data, a, options, checkpoints.get(0), cache, threads));
        System.out.println(tables.get(tables.size() - 1));
        continue;
      }
      Map<String, List<EvaluationResult>> results = new LinkedHashMap<>();
      List<String> texts = ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS);
      int[][] train = LeaveOneOutSplit.of(data).trainSequences();
      java.util.Set<String> methods = java.util.Set.of(a.get("methods", String.join(",", METHODS_ALL)).split(","));
      boolean withGru = backbones(a).contains("gru4rec");
      for (String seedText : a.get("seeds", "1,2,3").split(",")) {
        long seed = Long.parseLong(seedText.strip());
        P2RecConfig p2 = p2recConfig(a, seed);
        ModelConfig sasrec = config(ModelKind.SASREC, spec, seed);
        ModelConfig gru = config(ModelKind.GRU4REC, spec, seed);
        Map<String, Double> sec = new LinkedHashMap<>();

        TrainingPipeline.Result idSas = timed(sec, "id-sasrec", () -> train(data, sasrec, options, a, null));
        add(results, "ID-only SASRec", idSas);
        if (withGru) add(results, "ID-only GRU4Rec", timed(sec, "id-gru4rec", () -> train(data, gru, options, a, null)));
        Tensor idTable = idSas.weights().get("item_embedding");
        double std = EmbeddingReduction.std(idTable);

        String check = "";
        for (LmCheckpoint lm : methods.contains("frozen") ? checkpoints : List.<LmCheckpoint>of()) {
          String tag = tag(checkpoints, lm);
          String st = stagePrefix(checkpoints, lm);
          Tensor frozen = timed(sec, st + "frozen-lm-embed", () -> ItemEmbedder.frozen(cache, lm, texts, p2.itemTokens(), threads));
          EmbeddingInit frozenSas = EnhancedTable.init(frozen, p2.initMode(), sasrec.dim(), std);
          EmbeddingInit frozenGru = EnhancedTable.init(frozen, p2.initMode(), gru.dim(), std);
          add(results, "frozen-LM" + tag + " SASRec", timed(sec, st + "frozen-sasrec", () -> train(data, sasrec, options, a, frozenSas)));
          if (withGru) add(results, "frozen-LM" + tag + " GRU4Rec", timed(sec, st + "frozen-gru4rec", () -> train(data, gru, options, a, frozenGru)));
        }
        for (LmCheckpoint checkpoint : methods.contains("p2rec") ? checkpoints : List.<LmCheckpoint>of()) {
          String tag = tag(checkpoints, checkpoint);
          String st = stagePrefix(checkpoints, checkpoint);
          P2RecEnhancer.Result p2rec = new P2RecEnhancer(p2, checkpoint, cache, threads).run(texts, train, idTable, sasrec.dim(), null);
          p2rec.stageSeconds().forEach((k, v) -> sec.put(st + "p2rec-" + k, v));
          EmbeddingInit p2Gru = EnhancedTable.init(p2rec.lmEmbeddings(), p2.initMode(), gru.dim(), std);
          add(results, "P2Rec" + tag + " SASRec", timed(sec, st + "p2rec-sasrec", () -> train(data, sasrec, options, a, p2rec.init())));
          if (withGru) add(results, "P2Rec" + tag + " GRU4Rec", timed(sec, st + "p2rec-gru4rec", () -> train(data, gru, options, a, p2Gru)));
          check += String.format("P2Rec%s SFT held-out %s %.5f vs %.5f mean-g_u baseline, %d users; ",
              tag, p2.loss(), p2rec.sft().heldOutLoss(), p2rec.sft().heldOutBaseline(), p2rec.sft().users());
        }
        LlmEmbConfig llm = llmembConfig(a, seed);
        float residualL2 = Float.parseFloat(a.get("residualL2", "0.001"));
        for (String variant : methodOrder(a, LLMEMB_VARIANTS)) {
          if (!methods.contains(variant)) continue;
          for (LmCheckpoint checkpoint : checkpoints) {
            String tag = tag(checkpoints, checkpoint);
            String st = stagePrefix(checkpoints, checkpoint);
            LlmEmbConfig v = switch (variant) {
              case "llmemb-noscft" -> llm.withScft(llm.scft().withTraining(0, llm.scft().batchSize(), llm.scft().learningRate()));
              case "llmemb-noalign" -> llm.withAlignment(0f, llm.alignTemperature(), llm.alignItems());
              case "llmemb-residual" -> llm.withItemResidual(true);
              case "llmemb-residual-text" -> llm.withItemResidual(true).withResidualStart(LlmEmbConfig.ResidualStart.TEXT);
              case "llmemb-residual-l2" -> llm.withItemResidual(true).withResidualL2(residualL2);
              case "llmemb-residual-text-l2" -> llm.withItemResidual(true).withResidualStart(LlmEmbConfig.ResidualStart.TEXT)
                  .withResidualL2(residualL2);
              case "llmemb-residual-text-gelu" -> llm.withItemResidual(true).withResidualStart(LlmEmbConfig.ResidualStart.TEXT)
                  .withAdapter(llm.adapterHidden(), org.lmrec.model.ItemAdapter.Activation.GELU);
              default -> llm;
            };
            // the two backbones share d, so one RAT set-up (and one alignment target) serves both
            LlmEmbEnhancer.Result r = new LlmEmbEnhancer(v, checkpoint, cache, threads).run(texts, idTable, sasrec.dim(), null);
            r.stageSeconds().forEach((k, sv) -> sec.put(st + variant + "-" + k, sv));
            String label = LLMEMB_LABELS.get(variant);
            add(results, label + tag + " SASRec", timed(sec, st + variant + "-rat-sasrec", () -> train(data, sasrec, options, a, r.init())));
            if (withGru) add(results, label + tag + " GRU4Rec", timed(sec, st + variant + "-rat-gru4rec", () -> train(data, gru, options, a, r.init())));
            if (!r.scftLosses().isEmpty() && variant.equals("llmemb")) {
              check += String.format("LLMEmb%s SCFT loss %.4f, τ %.3f; ", tag, r.scftLosses().get(r.scftLosses().size() - 1), r.temperature());
            }
          }
        }
        String timing = String.format("| %s | %d | %s | %s |", spec.name(), seed, fmt(sec), check);
        timings.add(timing);
        System.out.println("TIMING " + timing);
      }
      tables.add(table(spec.name(), results));
      System.out.println(tables.get(tables.size() - 1));
    }
    System.out.println();
    tables.forEach(System.out::println);
    System.out.println("| dataset | seed | stage wall times (s) | fine-tuning check |");
    System.out.println("|---|---|---|---|");
    timings.forEach(System.out::println);
  }

  /** {@code backbones=sasrec,gru4rec} (both by default); SASRec always runs, as the alignment target. */
  static java.util.Set<String> backbones(Args a) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(List.of("sasrec"));
    for (String b : a.get("backbones", "sasrec,gru4rec").split(",")) {
      String n = b.strip().toLowerCase(java.util.Locale.ROOT);
      if (!n.equals("sasrec") && !n.equals("gru4rec")) throw new IllegalArgumentException("unknown backbone '" + b + "': use sasrec, gru4rec");
      out.add(n);
    }
    return out;
  }

  /** The LLMEmb variants picked by {@code methods=}, in the order given there (so the likeliest can run first). */
  static List<String> methodOrder(Args a, List<String> variants) {
    List<String> out = new ArrayList<>();
    for (String m : a.get("methods", String.join(",", METHODS_ALL)).split(",")) {
      if (variants.contains(m.strip()) && !out.contains(m.strip())) out.add(m.strip());
    }
    return out;
  }

  /** P2Rec-SASRec for every K in {@code sweep=8,16,32,64}, one seed, beside the ID-only SASRec it starts from. */
  private static String sweep(BenchmarkDatasets spec, Dataset data, Args a, TrainingOptions options, LmCheckpoint checkpoint, StageCache cache, int threads) {
    long seed = Long.parseLong(a.get("seeds", "1").split(",")[0].strip());
    ModelConfig sasrec = config(ModelKind.SASREC, spec, seed);
    List<String> texts = ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS);
    int[][] train = LeaveOneOutSplit.of(data).trainSequences();
    TrainingPipeline.Result id = train(data, sasrec, options, a, null);
    Tensor idTable = id.weights().get("item_embedding");
    StringBuilder sb = new StringBuilder("\n" + spec.name() + ": P2Rec-SASRec by number of latent categories K (seed " + seed + ", test, full ranking)\n\n");
    sb.append("| K | NDCG@10 | tail NDCG@10 | HR@10 | SFT held-out loss / mean-g_u baseline | SFT s |\n|---|---|---|---|---|---|\n");
    sb.append(String.format("| ID-only | %.4f | %.4f | %.4f | | |%n", id.testFull().metric("NDCG@10"), id.testFull().metric("tail/NDCG@10"), id.testFull().metric("HR@10")));
    for (String k : a.get("sweep", "").split(",")) {
      P2RecConfig p2 = p2recConfig(a, seed).withCategories(Integer.parseInt(k.strip()));
      P2RecEnhancer.Result r = new P2RecEnhancer(p2, checkpoint, cache, threads).run(texts, train, idTable, sasrec.dim(), null);
      EvaluationResult e = train(data, sasrec, options, a, r.init()).testFull();
      String row = String.format("| %s | %.4f | %.4f | %.4f | %.5f / %.5f | %.0f |", k.strip(), e.metric("NDCG@10"), e.metric("tail/NDCG@10"),
          e.metric("HR@10"), r.sft().heldOutLoss(), r.sft().heldOutBaseline(), r.stageSeconds().get("sft"));
      System.out.println("SWEEP " + row);
      sb.append(row).append('\n');
    }
    return sb.toString();
  }

  static LlmEmbConfig llmembConfig(Args a, long seed) {
    LlmEmbConfig d = LlmEmbConfig.defaults().withSeed(seed);
    ScftConfig s = d.scft().withItemTokens(a.getInt("itemTokens", d.scft().itemTokens()));
    s = s.withTraining(a.getInt("scftEpochs", s.epochs()), a.getInt("scftBatch", s.batchSize()), s.learningRate());
    return d.withScft(s).withReducedDim(a.getInt("pcaDim", d.reducedDim()))
        .withAlignment(Float.parseFloat(a.get("alignWeight", String.valueOf(d.alignWeight()))), d.alignTemperature(), d.alignItems());
  }

  static P2RecConfig p2recConfig(Args a, long seed) {
    P2RecConfig d = P2RecConfig.defaults().withSeed(seed).withCategories(a.getInt("categories", 32));
    d = d.withTokens(a.getInt("userTokens", d.userTokens()), a.getInt("itemTokens", d.itemTokens()));
    d = d.withTraining(a.getInt("sftEpochs", d.epochs()), a.getInt("sftBatch", d.batchSize()), d.learningRate(), a.getInt("sftUsers", 0));
    return d.withMode(SftMode.parse(a.get("sftMode", "user-level")));
  }

  /** Full-softmax CE for both backbones, d 64; SASRec 2 blocks, 1 head; dropout per dataset. */
  static ModelConfig config(ModelKind kind, BenchmarkDatasets spec, long seed) {
    ModelConfig base = ModelConfig.defaults(kind).withLoss(LossType.CE).withMaxLen(spec.maxLen()).withDim(64).withSeed(seed);
    return kind == ModelKind.SASREC ? base.withBlocks(2).withHeads(1).withDropout(spec.dropout()) : base;
  }

  private static TrainingPipeline.Result train(Dataset data, ModelConfig cfg, TrainingOptions options, Args a, EmbeddingInit init) {
    return TrainingPipeline.run(data, new TrainingPipeline.Settings(cfg, options, a.getInt("validationUsers", 10_000), null), init);
  }

  private static void add(Map<String, List<EvaluationResult>> results, String row, TrainingPipeline.Result r) {
    results.computeIfAbsent(row, k -> new ArrayList<>()).add(r.testFull());
    System.out.printf("RESULT %s: %s%n", row, r.testFull().metrics());
  }

  /** Row tag of an LM: none when the run has one LM (the tables keep their labels), else " [name]" before the backbone. */
  private static String tag(List<LmCheckpoint> all, LmCheckpoint lm) {
    return all.size() == 1 ? "" : " [" + lm.name() + "]";
  }

  private static String stagePrefix(List<LmCheckpoint> all, LmCheckpoint lm) {
    return all.size() == 1 ? "" : lm.name() + ":";
  }

  private static <T> T timed(Map<String, Double> sec, String stage, java.util.function.Supplier<T> work) {
    long t0 = System.nanoTime();
    T out = work.get();
    sec.put(stage, (System.nanoTime() - t0) / 1e9);
    return out;
  }

  private static String fmt(Map<String, Double> sec) {
    StringBuilder sb = new StringBuilder();
    sec.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format("%.0f", v)));
    return sb.toString();
  }

  private static String table(String dataset, Map<String, List<EvaluationResult>> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("\n").append(dataset).append(" (test, full ranking, mean ± std over ").append(results.values().iterator().next().size()).append(" seeds)\n\n");
    sb.append("| model | HR@10 | NDCG@10 | tail NDCG@10 | head NDCG@10 | NDCG@10 vs ID-only | tail NDCG@10 vs ID-only |\n|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<EvaluationResult>> e : results.entrySet()) {
      String backbone = e.getKey().substring(e.getKey().lastIndexOf(' ') + 1);
      List<EvaluationResult> id = results.get("ID-only " + backbone);
      sb.append("| ").append(e.getKey());
      for (String m : METRICS) sb.append(" | ").append(meanStd(e.getValue(), m));
      sb.append(" | ").append(change(e.getValue(), id, "NDCG@10")).append(" | ").append(change(e.getValue(), id, "tail/NDCG@10")).append(" |\n");
    }
    return sb.toString();
  }

  private static String meanStd(List<EvaluationResult> rs, String metric) {
    double[] v = rs.stream().mapToDouble(r -> r.metric(metric)).toArray();
    double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
    double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
    return String.format("%.4f ± %.4f", mean, Math.sqrt(var));
  }

  private static String change(List<EvaluationResult> rs, List<EvaluationResult> id, String metric) {
    double m = rs.stream().mapToDouble(r -> r.metric(metric)).average().orElse(Double.NaN);
    double base = id.stream().mapToDouble(r -> r.metric(metric)).average().orElse(Double.NaN);
    return String.format("%+.1f%%", 100 * (m / base - 1));
  }
}
