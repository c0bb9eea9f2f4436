package org.lmrec.retrain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactStore;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.EnhancedArtifacts;
import org.lmrec.enhance.EnhancedTraining;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.llmemb.LlmEmbArtifactFiles;
import org.lmrec.enhance.p2rec.P2RecArtifactFiles;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.serving.ServingModel;
import org.lmrec.model.ModelConfig;
import org.lmrec.train.DataDefaults;
import org.lmrec.train.TrainingPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lmrec.artifact.ModelRegistry;

/**
 * One retraining run after the data preparation: warm start from the serving model, the enhancer's
 * stages and the SRS (through {@link EnhancedTraining}, as the train command), the quality gate on
 * the held-out slice, then either publish (write, announce, mark serving, prune) or keep the
 * refused model apart. Each step is logged with its time and an ETA from the serving model's run.
 */
public final class RetrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainingRun.class);
  /** Metric carrying when the LM's LoRA was last fine-tuned, so the refresh interval survives runs. */
  public static final String LM_TUNED_AT = "retrain/lmTunedAtEpochSeconds";
  public static final String TOTAL_SECONDS = "retrain/seconds/total";

  /**
   * @param artifact the written model, in the published store or among the refused ones
   * @param announced whether the model-update announcement went out
   * @param lmRefreshed whether the LM was fine-tuned in this run (P2Rec)
   * @param itemsEmbedded items the LM embedded in this run (P2Rec; the rest were reused)
   */
  public record Outcome(
      QualityGate.Decision gate,
      ModelArtifact artifact,
      boolean announced,
      boolean lmRefreshed,
      int itemsEmbedded,
      int coldItems,
      Map<String, Double> stageSeconds) {}

  private final RetrainConfig config;
  private final ModelRegistry registry;
  private final ModelAnnouncer announcer;
  private final Clock clock;

  public RetrainingRun(RetrainConfig config, ModelRegistry registry, ModelAnnouncer announcer, Clock clock) {
    this.config = config;
    this.registry = registry;
    this.announcer = announcer;
    this.clock = clock;
  }

  /** The configured model, with the dropout this window's data calls for unless one was chosen ({@code DataDefaults}). */
  static ModelConfig modelFor(RetrainConfig config, Dataset data) {
    if (!config.dropoutFromData()) return config.model();
    String note = DataDefaults.describe(config.model().kind(), data);
    if (note != null) LOG.info(note);
    return config.model().withDropout(DataDefaults.of(config.model().kind(), data).dropout());
  }

  /**
   * @param data the window's interactions and the catalogue ({@link RetrainingData})
   * @param dataDescription where the data came from, recorded in the manifest
   * @param extraSeconds stage times measured before this call (the data preparation), recorded too
   */
  public Outcome run(Dataset data, String dataDescription, Map<String, Double> extraSeconds) throws Exception {
    long start = System.nanoTime();
    Optional<ModelArtifact> servingArtifact = registry.serving();
    LoadedArtifact serving = servingArtifact.map(a -> ArtifactReader.load(a.dir())).orElse(null);
    double expected = serving == null ? 0 : serving.manifest().metrics().getOrDefault(TOTAL_SECONDS, 0.0);
    Progress progress = new Progress(expected);
    LOG.info("retraining on {}; serving: {}", data.summary(), serving == null ? "nothing yet" : serving.version());
    ModelConfig model = modelFor(config, data);

    // 1. Warm start and LM refresh.
    Instant now = clock.instant();
    P2RecConfig p2rec = config.p2rec();
    EnhancedTraining.WarmStarts warm = EnhancedTraining.WarmStarts.none();
    boolean lmRefreshed = config.enhancer() == Enhancer.P2REC || config.enhancer() == Enhancer.LLMEMB;
    double lmTunedAt = now.getEpochSecond();
    if (serving != null && config.enhancer() == Enhancer.P2REC && serving.extraFiles().containsKey(P2RecArtifactFiles.LORA)) {
      warm = new EnhancedTraining.WarmStarts(P2RecArtifactFiles.warmStart(serving, p2rec.lora()), null);
      double previous = serving.manifest().metrics().getOrDefault(LM_TUNED_AT, (double) serving.manifest().createdAtInstant().getEpochSecond());
      Duration age = Duration.ofSeconds((long) (now.getEpochSecond() - previous));
      if (age.compareTo(config.lmRefreshInterval()) < 0) {
        p2rec = p2rec.withTraining(0, p2rec.batchSize(), p2rec.learningRate(), p2rec.maxUsers());
        lmRefreshed = false;
        lmTunedAt = previous;
        LOG.info("P2Rec: the serving LoRA is {} old, younger than the refresh interval {}: reused as is", age, config.lmRefreshInterval());
      } else {
        LOG.info("P2Rec: fine-tuning warm-started from the LoRA of {} ({} old)", serving.version(), age);
      }
    } else if (serving != null && config.enhancer() == Enhancer.LLMEMB && serving.extraFiles().containsKey(LlmEmbArtifactFiles.LORA)) {
      warm = new EnhancedTraining.WarmStarts(null, LlmEmbArtifactFiles.warmStart(serving, config.llmemb().lora()));
    }

    // 2. Enhancer stages and the SRS.
    progress.begin("training (" + config.enhancer().id() + " + " + model.kind().id() + ")");
    StageCache cache = config.workDir() == null ? StageCache.none() : new StageCache(config.workDir());
    EnhancedTraining.Outcome trained =
        new EnhancedTraining(config.enhancer(), p2rec, config.llmemb(), config.checkpoint(), cache, config.threads())
            .run(data, new TrainingPipeline.Settings(model, config.training(), config.validationUsers(), null), warm);
    progress.end();

    // 3. The gate: both models scored the serving way on the same held-out slice.
    progress.begin("quality gate");
    HeldOutSlice slice = HeldOutSlice.of(data);
    SliceEvaluation.Score candidate = SliceEvaluation.of(new ServingModel("candidate", model, trained.result().weights(), data.itemIds()), slice);
    SliceEvaluation.Score servingScore = serving == null ? null : SliceEvaluation.of(ServingModel.fromArtifact(serving), slice);
    QualityGate.Decision gate = new QualityGate(config.gateMargin()).decide(candidate, servingScore, serving == null ? null : serving.version());
    LOG.info("quality gate: {} — {}", gate.passed() ? "PASSED" : "REFUSED", gate.reason());
    progress.end();

    // 4. Write (published or refused), announce, mark serving, prune.
    progress.begin(gate.passed() ? "publishing" : "keeping the refused model");
    Map<String, Double> seconds = new LinkedHashMap<>(extraSeconds);
    seconds.putAll(trained.stageSeconds());
    Map<String, Double> metrics = EnhancedArtifacts.metrics(trained);
    extraSeconds.forEach((k, v) -> metrics.put("seconds/" + k, v));
    metrics.putAll(gateMetrics(gate));
    int embedded = trained.p2rec() == null ? 0 : trained.p2rec().itemsEmbedded();
    if (config.enhancer() == Enhancer.P2REC) {
      metrics.put(LM_TUNED_AT, lmTunedAt);
      metrics.put("retrain/itemsEmbedded", (double) embedded);
    }
    metrics.put("retrain/coldItems", (double) trained.coldItems());
    metrics.put(TOTAL_SECONDS, (System.nanoTime() - start) / 1e9 + extraSeconds.values().stream().mapToDouble(Double::doubleValue).sum());
    Map<String, Object> cfg = EnhancedArtifacts.config(model, config.enhancer(), config.checkpoint(), null);
    cfg.put("retraining", retrainingRecord(gate, lmRefreshed, config));
    ArtifactStore store = gate.passed() ? registry.published() : registry.refused();
    String version = store.nextVersion(model.kind().id(), now);
    ArtifactWriter writer = store.writer(version, model.kind().id())
        .config(cfg)
        .weights(trained.result().weights())
        .itemIds(data.itemIds())
        .trainingData(TrainingDataInfo.of(data, dataDescription))
        .metrics(metrics)
        .parentVersion(serving == null ? null : serving.version())
        .createdAt(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    EnhancedArtifacts.attachFiles(writer, trained, p2rec, config.llmemb(), config.checkpoint(), data);
    ModelArtifact artifact = writer.write();
    boolean announced = false;
    if (gate.passed()) {
      announcer.announce(artifact);
      announced = true;
      registry.markServing(artifact, clock.instant());
      registry.prune(config.keepVersions(), config.keepRefused());
      LOG.info("published and announced {} ({})", artifact.version(), artifact.dir());
    } else {
      registry.prune(config.keepVersions(), config.keepRefused());
      LOG.warn("refused {}: kept for inspection in {}; {} keeps serving", artifact.version(), artifact.dir(), gate.servingVersion());
    }
    progress.end();
    return new Outcome(gate, artifact, announced, lmRefreshed, embedded, trained.coldItems(), seconds);
  }

  private static Map<String, Double> gateMetrics(QualityGate.Decision gate) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("gate/passed", gate.passed() ? 1.0 : 0.0);
    m.put("gate/margin", gate.margin());
    m.put("gate/cases", (double) gate.candidate().cases());
    m.put("gate/candidate/NDCG@10", gate.candidate().ndcg10());
    m.put("gate/candidate/HR@10", gate.candidate().hr10());
    if (gate.serving() != null) {
      m.put("gate/serving/NDCG@10", gate.serving().ndcg10());
      m.put("gate/serving/HR@10", gate.serving().hr10());
      m.put("gate/serving/knownCases", (double) gate.serving().knownCases());
    }
    return m;
  }

  private static Map<String, Object> retrainingRecord(QualityGate.Decision gate, boolean lmRefreshed, RetrainConfig config) {
    Map<String, Object> gateJson = new LinkedHashMap<>();
    gateJson.put("decision", gate.passed() ? "published" : "refused");
    gateJson.put("reason", gate.reason());
    gateJson.put("servingVersion", gate.servingVersion());
    gateJson.put("candidateNdcg10", gate.candidate().ndcg10());
    gateJson.put("servingNdcg10", gate.serving() == null ? null : gate.serving().ndcg10());
    gateJson.put("margin", gate.margin());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("gate", gateJson);
    r.put("lmRefreshed", lmRefreshed);
    r.put("lmRefreshInterval", config.lmRefreshInterval().toString());
    return r;
  }

  /** Logs each step's start and end, with an ETA against the serving model's total time. */
  private static final class Progress {
    private final double expectedSeconds;
    private final long start = System.nanoTime();
    private long stepStart;
    private String step;

    Progress(double expectedSeconds) {
      this.expectedSeconds = expectedSeconds;
    }

    void begin(String name) {
      step = name;
      stepStart = System.nanoTime();
      double elapsed = (stepStart - start) / 1e9;
      String eta = expectedSeconds > 0 ? String.format(", ETA %.0f s (the previous run took %.0f s)", Math.max(0, expectedSeconds - elapsed), expectedSeconds) : "";
      LOG.info(String.format("retraining: %s ... (%.0f s elapsed%s)", name, elapsed, eta));
    }

    void end() {
      LOG.info(String.format("retraining: %s done in %.1f s", step, (System.nanoTime() - stepStart) / 1e9));
    }
  }
}
