package org.lmrec.enhance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.llmemb.LlmEmbArtifactFiles;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.p2rec.P2RecArtifactFiles;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.ModelConfig;
import org.lmrec.train.ServedModelTest;
import org.lmrec.train.TrainingPipeline;

/**
 * What an {@link EnhancedTraining.Outcome} puts into a model artifact: the metrics, the config, and
 * the enhancer's files. The train command and the retraining job write the same artifacts.
 */
public final class EnhancedArtifacts {
  private EnhancedArtifacts() {}

  /** Test metrics under both protocols, validation NDCG@10, stage times and the enhancer's own numbers; finite values only. */
  public static Map<String, Double> metrics(EnhancedTraining.Outcome outcome) {
    TrainingPipeline.Result result = outcome.result();
    Map<String, Double> metrics = new LinkedHashMap<>();
    result.testFull().metrics().forEach((k, v) -> metrics.put(ServedModelTest.FULL + k, v));
    result.testSampled().metrics().forEach((k, v) -> metrics.put(ServedModelTest.SAMPLED + k, v));
    metrics.put("validation/NDCG@10", result.report().bestValidation());
    outcome.stageSeconds().forEach((stage, sec) -> metrics.put("seconds/" + stage, sec));
    if (outcome.p2rec() != null) metrics.putAll(outcome.p2rec().sft().toMetrics("p2rec/sft/"));
    if (outcome.llmemb() != null) {
      List<Double> losses = outcome.llmemb().scftLosses();
      if (!losses.isEmpty()) metrics.put("llmemb/scft/loss", losses.get(losses.size() - 1));
      metrics.put("llmemb/scft/temperature", (double) outcome.llmemb().temperature());
    }
    if (outcome.trsr() != null) metrics.putAll(outcome.trsr().metrics());
    metrics.values().removeIf(v -> !Double.isFinite(v));
    return metrics;
  }

  /** Config keys that let {@code lmrec evaluate} repeat the stored test exactly. */
  public static final String EVALUATION_SEED = "evaluationSeed";
  public static final String TAIL_THRESHOLD = "tailThreshold";

  /**
   * The model's hyper-parameters, the enhancer, the LM, and how its test was run: the seed of the
   * sampled negatives and the tail threshold when one was given (null: the default split).
   */
  public static Map<String, Object> config(ModelConfig model, Enhancer enhancer, LmCheckpoint checkpoint, Integer tailThreshold) {
    Map<String, Object> config = new LinkedHashMap<>(model.toMap());
    config.put("enhancer", enhancer.id());
    if (checkpoint != null) config.put("lm", checkpoint.name());
    config.put(EVALUATION_SEED, model.seed());
    if (tailThreshold != null) config.put(TAIL_THRESHOLD, tailThreshold);
    return config;
  }

  /** Attaches the enhancer's files (P2Rec, LLMEmb or LLM-TRSR's ranker; nothing for the others). */
  public static void attachFiles(
      ArtifactWriter writer, EnhancedTraining.Outcome outcome, P2RecConfig p2rec, LlmEmbConfig llmemb, LmCheckpoint checkpoint, Dataset data) {
    if (outcome.p2rec() != null) P2RecArtifactFiles.attach(writer, outcome.p2rec(), p2rec, checkpoint, data.itemIds());
    if (outcome.trsr() != null) {
      org.lmrec.trsr.RankerFiles.attach(writer, outcome.trsr().spec(), outcome.trsr().lora().toTensorMap(), outcome.trsr().head());
    }
    if (outcome.llmemb() != null) LlmEmbArtifactFiles.attach(writer, outcome.llmemb(), outcome.result().itemAdapter(), llmemb, checkpoint);
  }
}
