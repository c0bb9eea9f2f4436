package org.lmrec.enhance.trsr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.ItemEmbedder;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.enhance.StageCache;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvalCases;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxYesNoRanker;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.YesNoHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM-TRSR's recommender stage (METHODS.md §3), after the SASRec it re-ranks has been trained: the
 * base LM embeds the catalogue for the offline summariser, the yes/no ranker is fine-tuned
 * ({@link RankerSft}), and the tuned ranker, served through ONNX Runtime with its LoRA folded in,
 * is evaluated on the test users beside SASRec ({@link RankerEvaluation}).
 */
public final class LlmTrsrRanker {
  private static final Logger LOG = LoggerFactory.getLogger(LlmTrsrRanker.class);

  /** An earlier ranker's LoRA and head to start the SFT from. */
  public record WarmStart(LoraWeights lora, YesNoHead head) {
    /** The ranker of a loaded artifact, refused when it was fine-tuned on another base LM. */
    public static WarmStart of(RankerFiles.Stored stored, RankerConfig config, LmCheckpoint checkpoint) {
      if (!stored.spec().lmSha256().equalsIgnoreCase(checkpoint.sha256())) {
        throw new IllegalArgumentException("the warm-start ranker was fine-tuned on base LM " + stored.spec().lmName() + " (SHA-256 "
            + stored.spec().lmSha256() + "), not on " + checkpoint.name() + " (" + checkpoint.sha256() + ")");
      }
      return new WarmStart(LoraWeights.fromTensorMap(stored.lora(), config.lora()), stored.head());
    }
  }

  /**
   * @param metrics the test metrics of both protocols (see {@link RankerEvaluation}), validation and SFT numbers, timings
   * @param stageSeconds wall time of the ranker's stages
   */
  public record Result(RankerSpec spec, LoraWeights lora, YesNoHead head, RankerSft.Report sft, RankerEvaluation.Result test,
      Map<String, Double> metrics, Map<String, Double> stageSeconds) {}

  private final RankerConfig config;
  private final LmCheckpoint checkpoint;
  private final StageCache cache;
  private final int threads;

  public LlmTrsrRanker(RankerConfig config, LmCheckpoint checkpoint, StageCache cache, int threads) {
    this.config = config;
    this.checkpoint = checkpoint;
    this.cache = cache;
    this.threads = threads;
  }

  /** @param sasrec the trained SASRec, scoring the whole catalogue (the base of the re-ranking protocol) */
  public Result run(Dataset data, NextItemScorer sasrec, WarmStart warm) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    Tensor table = ItemEmbedder.frozen(cache, checkpoint, ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS), config.itemTokens(), threads);
    RankerInputs inputs = new RankerInputs(data, table, config);
    seconds.put("trsr-item-embeddings", (System.nanoTime() - t0) / 1e9);

    LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
    List<EvalCase> validation = EvalCases.sample(split.validation(), config.validationUsers(), config.seed());
    List<EvalCase> test = config.evalUsers() > 0 ? EvalCases.sample(split.test(), config.evalUsers(), config.seed()) : split.test();

    long t1 = System.nanoTime();
    RankerSpec spec;
    LoraWeights lora;
    YesNoHead head;
    RankerSft.Report sft;
    try (TrainableLm lm = new TrainableLm(checkpoint, config.lora())) {
      if (warm != null) lm.loadLora(warm.lora());
      TrainableRanker ranker = new TrainableRanker(lm, config.maxTokens(), warm == null ? null : warm.head(), config.seed());
      sft = new RankerSft(config, ranker, inputs, data.numItems()).train(split.trainSequences(), validation);
      lora = lm.loraWeights();
      head = ranker.head();
      spec = new RankerSpec(RankerSpec.FORMAT_VERSION, checkpoint.name(), checkpoint.sha256(), lm.hiddenSize(), config.lora().toJsonMap(),
          config.summary(), config.blockSize(), config.maxBlocks(), inputs.summariserVersion(), config.recentItems(), config.facets(),
          config.maxValueChars(), config.maxTokens());
    }
    seconds.put("trsr-sft", (System.nanoTime() - t1) / 1e9);

    long t2 = System.nanoTime();
    RankerEvaluation.Result result;
    try (OnnxYesNoRanker onnx = new OnnxYesNoRanker(checkpoint, threads, new RankerFiles.Stored(spec, lora.toTensorMap(), head))) {
      result = RankerEvaluation.run(config, onnx, inputs, sasrec, test, data.numItems());
    }
    seconds.put("trsr-test", (System.nanoTime() - t2) / 1e9);

    Map<String, Double> metrics = new LinkedHashMap<>();
    result.metrics().forEach((k, v) -> metrics.put("trsr/test/" + k, v));
    metrics.put("trsr/test/users", (double) result.users());
    if (sft.bestEpoch() > 0) {
      metrics.put("trsr/validation/MRR@10", sft.validationMrr10().get(sft.bestEpoch() - 1));
      metrics.put("trsr/validation/Recall@10", sft.validationRecall10().get(sft.bestEpoch() - 1));
      metrics.put("trsr/sft/loss", sft.epochLosses().get(sft.epochLosses().size() - 1));
      metrics.put("trsr/sft/best-epoch", (double) sft.bestEpoch());
      metrics.put("trsr/timing/sft-seconds-per-epoch", sft.meanEpochSeconds());
    }
    metrics.put("trsr/sft/users", (double) sft.users());
    metrics.put("trsr/timing/summary-ms-per-user", 1e3 * (sft.summarySeconds() + result.summarySeconds()) / Math.max(1, sft.users() + result.users()));
    metrics.put("trsr/timing/rank-ms-per-candidate", result.msPerCandidate());
    LOG.info(String.format("LLM-TRSR timings: summaries %.2f ms/user, SFT %.1f s/epoch (%,d users), ranking %.2f ms/candidate (%,d prompts)",
        metrics.get("trsr/timing/summary-ms-per-user"), sft.meanEpochSeconds(), sft.users(), result.msPerCandidate(), result.prompts()));
    LOG.info("LLM-TRSR test metrics: {}", result.metrics());
    return new Result(spec, lora, head, sft, result, metrics, seconds);
  }
}
