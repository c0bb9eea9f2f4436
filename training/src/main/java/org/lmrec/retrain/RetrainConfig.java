package org.lmrec.retrain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.ModelConfig;
import org.lmrec.settings.Settings;
import org.lmrec.train.TrainingOptions;

/**
 * Everything a retraining run needs beyond its data, with the defaults in {@link #defaults}.
 *
 * @param checkpoint the LM (null for {@link Enhancer#NONE})
 * @param lmRefreshInterval P2Rec fine-tunes the LM again (warm-started from the serving model's
 *     LoRA) once its LoRA is this old; younger, it is reused as is and only new or changed items are
 *     embedded. {@link Duration#ZERO} fine-tunes on every run.
 * @param gateMargin relative NDCG@10 loss against the serving model that is still published
 * @param keepVersions published versions kept (the serving one is always kept), at least 2
 * @param keepRefused refused versions kept for inspection
 * @param workDir finished stages and stored item embeddings, reused across runs (null = none)
 * @param dropoutFromData the model's dropout follows the retraining window's data ({@code
 *     DataDefaults}: SASRec 0.5 on sparse data), as {@code ./lmrec train} does when no dropout is given
 */
public record RetrainConfig(
    Enhancer enhancer,
    ModelConfig model,
    TrainingOptions training,
    int validationUsers,
    P2RecConfig p2rec,
    LlmEmbConfig llmemb,
    LmCheckpoint checkpoint,
    Duration lmRefreshInterval,
    double gateMargin,
    int keepVersions,
    int keepRefused,
    int threads,
    Path workDir,
    boolean dropoutFromData) implements Settings<RetrainConfig> {

  public RetrainConfig {
    Objects.requireNonNull(enhancer, "enhancer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(lmRefreshInterval, "lmRefreshInterval");
    if (enhancer != Enhancer.NONE && checkpoint == null) throw new IllegalArgumentException(enhancer.id() + " needs an LM checkpoint");
    if (lmRefreshInterval.isNegative()) throw new IllegalArgumentException("lmRefreshInterval must not be negative");
    new QualityGate(gateMargin); // validates the margin
    if (keepVersions < 2) throw new IllegalArgumentException("keepVersions must be at least 2 (serving + the one it replaced)");
    if (keepRefused < 0) throw new IllegalArgumentException("keepRefused must not be negative");
    if (threads < 1) throw new IllegalArgumentException("threads must be positive");
  }

  /** The given enhancer over {@code model}, LM refreshed weekly, 2% gate margin, 5 versions kept. */
  public static RetrainConfig defaults(Enhancer enhancer, ModelConfig model, LmCheckpoint checkpoint, Path workDir) {
    return new RetrainConfig(enhancer, model, TrainingOptions.defaults(), 10_000,
        P2RecConfig.defaults().withSeed(model.seed()), LlmEmbConfig.defaults().withSeed(model.seed()), checkpoint,
        Duration.ofDays(7), 0.02, 5, 3, 2, workDir, false);
  }

  public RetrainConfig withEnhancer(Enhancer v) {
    return with(RetrainConfig::enhancer, v);
  }

  public RetrainConfig withTraining(TrainingOptions v, int validationUsersV) {
    return edit().set(RetrainConfig::training, v).set(RetrainConfig::validationUsers, validationUsersV).build();
  }

  public RetrainConfig withP2Rec(P2RecConfig v) {
    return with(RetrainConfig::p2rec, v);
  }

  public RetrainConfig withLlmEmb(LlmEmbConfig v) {
    return with(RetrainConfig::llmemb, v);
  }

  public RetrainConfig withLmRefreshInterval(Duration v) {
    return with(RetrainConfig::lmRefreshInterval, v);
  }

  public RetrainConfig withGate(double margin) {
    return with(RetrainConfig::gateMargin, margin);
  }

  public RetrainConfig withRetention(int keep, int keepRefusedV) {
    return edit().set(RetrainConfig::keepVersions, keep).set(RetrainConfig::keepRefused, keepRefusedV).build();
  }

  public RetrainConfig withThreads(int v) {
    return with(RetrainConfig::threads, v);
  }
}
