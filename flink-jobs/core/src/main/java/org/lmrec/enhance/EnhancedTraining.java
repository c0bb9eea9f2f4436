package org.lmrec.enhance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.P2RecEnhancer;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.train.TrainingPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run with any enhancer: for P2Rec, first the ID-only SASRec it needs (kept in the
 * stage cache), then the enhancer's stages, then the requested SRS trained from the enhanced table
 * with the standard pipeline (split, early stopping, both test protocols). Entry points (the CLI,
 * the benchmarks, later the retraining job) all come through here.
 */
public final class EnhancedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(EnhancedTraining.class);

  /**
   * @param p2rec the P2Rec stage outputs (null for other enhancers)
   * @param lmEmbeddings the LM item table used (null for NONE)
   * @param stageSeconds wall time of every stage, including the final SRS training ("srs")
   */
  public record Outcome(TrainingPipeline.Result result, P2RecEnhancer.Result p2rec, Tensor lmEmbeddings, Map<String, Double> stageSeconds) {}

  private final Enhancer enhancer;
  private final P2RecConfig p2recConfig;
  private final LmCheckpoint checkpoint;
  private final StageCache cache;
  private final int threads;

  public EnhancedTraining(Enhancer enhancer, P2RecConfig p2recConfig, LmCheckpoint checkpoint, StageCache cache, int threads) {
    this.enhancer = enhancer;
    this.p2recConfig = p2recConfig;
    this.checkpoint = checkpoint;
    this.cache = cache;
    this.threads = threads;
  }

  public Outcome run(Dataset data, TrainingPipeline.Settings settings, P2RecEnhancer.WarmStart warm) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<String> texts = ItemTexts.of(data, p2recConfig.maxValueChars());
    int dim = settings.model().dim();
    EmbeddingInit init = null;
    Tensor lmEmbeddings = null;
    P2RecEnhancer.Result p2rec = null;
    switch (enhancer) {
      case NONE -> {}
      case FROZEN_LM -> {
        long t0 = System.nanoTime();
        lmEmbeddings = frozenLmEmbeddings(texts);
        double std = p2recConfig.initStd() > 0 ? p2recConfig.initStd() : Math.sqrt(2.0 / (data.numItems() + 1 + dim));
        init = EnhancedTable.init(lmEmbeddings, p2recConfig.initMode(), dim, std);
        seconds.put("lm-embeddings", (System.nanoTime() - t0) / 1e9);
      }
      case P2REC -> {
        long t0 = System.nanoTime();
        int[][] train = LeaveOneOutSplit.of(data).trainSequences();
        Tensor idTable = pretrainedIdTable(data, settings, DataFingerprint.of(train, texts));
        seconds.put("pretrain", (System.nanoTime() - t0) / 1e9);
        p2rec = new P2RecEnhancer(p2recConfig, checkpoint, cache, threads).run(texts, train, idTable, dim, warm);
        seconds.putAll(p2rec.stageSeconds());
        lmEmbeddings = p2rec.lmEmbeddings();
        init = p2rec.init();
      }
      default -> throw new IllegalStateException();
    }
    long t0 = System.nanoTime();
    TrainingPipeline.Result result = TrainingPipeline.run(data, settings, init);
    seconds.put("srs", (System.nanoTime() - t0) / 1e9);
    LOG.info("stage wall times (s): {}", seconds);
    return new Outcome(result, p2rec, lmEmbeddings, seconds);
  }

  /** The base LM's embedding of every item (cached by data, checkpoint and token budget). */
  public Tensor frozenLmEmbeddings(List<String> texts) {
    String key = StageCache.key("frozen-lm", checkpoint.sha256(), p2recConfig.itemTokens(), DataFingerprint.of(new int[0][], texts));
    return cache.load("frozen-lm", key).map(m -> m.get("items")).orElseGet(() -> {
      Tensor e = ItemEmbedder.embed(checkpoint, null, texts, p2recConfig.itemTokens(), threads);
      cache.save("frozen-lm", key, new TensorMap().put("items", e));
      return e;
    });
  }

  /** P2Rec clusters the item table of an ID-only SASRec trained on the same split. */
  private Tensor pretrainedIdTable(Dataset data, TrainingPipeline.Settings settings, String dataFingerprint) {
    ModelConfig sasrec = settings.model().kind() == ModelKind.SASREC
        ? settings.model()
        : ModelConfig.defaults(ModelKind.SASREC).withDim(settings.model().dim()).withMaxLen(settings.model().maxLen()).withSeed(settings.model().seed());
    TrainingPipeline.Settings pre = new TrainingPipeline.Settings(sasrec, settings.training(), settings.validationUsers(), settings.tailThreshold());
    String key = StageCache.key("pretrain", dataFingerprint, sasrec.toMap(), settings.training());
    return cache.load("pretrain", key).map(m -> m.get("item_embedding")).orElseGet(() -> {
      LOG.info("P2Rec: pre-training the ID-only SASRec whose item table defines the latent categories");
      TrainingPipeline.Result r = TrainingPipeline.run(data, pre, null);
      Tensor table = r.weights().get("item_embedding");
      cache.save("pretrain", key, new TensorMap().put("item_embedding", table));
      return table;
    });
  }
}
