package org.lmrec.enhance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.llmemb.LlmEmbEnhancer;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.P2RecEnhancer;
import org.lmrec.enhance.trsr.LlmTrsrRanker;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.serving.ServingModel;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.train.DataDefaults;
import org.lmrec.train.TrainingPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run with any enhancer: for P2Rec and LLMEmb, first the ID-only SASRec they need
 * (P2Rec clusters its items, LLMEmb aligns with them; kept in the stage cache), then the
 * enhancer's stages, then the requested SRS trained from the enhanced table
 * with the standard pipeline (split, early stopping, both test protocols). Entry points (the CLI,
 * the benchmarks, later the retraining job) all come through here.
 */
public final class EnhancedTraining {
  private static final Logger LOG = LoggerFactory.getLogger(EnhancedTraining.class);

  /**
   * @param p2rec the P2Rec stage outputs (null for other enhancers)
   * @param llmemb the LLMEmb stage outputs (null for other enhancers)
   * @param lmEmbeddings the LM item table used (null for NONE)
   * @param stageSeconds wall time of every stage, including the final SRS training ("srs")
   * @param coldItems items without training interactions whose rows were estimated from their text
   * @param trsr LLM-TRSR's ranker and its evaluation (null for other enhancers)
   */
  public record Outcome(
      TrainingPipeline.Result result,
      P2RecEnhancer.Result p2rec,
      LlmEmbEnhancer.Result llmemb,
      Tensor lmEmbeddings,
      Map<String, Double> stageSeconds,
      int coldItems,
      LlmTrsrRanker.Result trsr) {}

  /** Earlier runs' fine-tuned weights to start from; null members start fresh. */
  public record WarmStarts(P2RecEnhancer.WarmStart p2rec, LlmEmbEnhancer.WarmStart llmemb) {
    public static WarmStarts none() {
      return new WarmStarts(null, null);
    }
  }

  private final Enhancer enhancer;
  private final P2RecConfig p2recConfig;
  private final LlmEmbConfig llmembConfig;
  private final LmCheckpoint checkpoint;
  private final StageCache cache;
  private final int threads;
  private RankerConfig rankerConfig = RankerConfig.defaults();
  private LlmTrsrRanker.WarmStart rankerWarm;

  public EnhancedTraining(
      Enhancer enhancer, P2RecConfig p2recConfig, LlmEmbConfig llmembConfig, LmCheckpoint checkpoint, StageCache cache, int threads) {
    this.enhancer = enhancer;
    this.p2recConfig = p2recConfig;
    this.llmembConfig = llmembConfig;
    this.checkpoint = checkpoint;
    this.cache = cache;
    this.threads = threads;
  }

  /** LLM-TRSR's ranker settings (default {@link RankerConfig#defaults()}) and an earlier ranker to start from (or null). */
  public EnhancedTraining ranker(RankerConfig config, LlmTrsrRanker.WarmStart warm) {
    this.rankerConfig = config;
    this.rankerWarm = warm;
    return this;
  }

  public Outcome run(Dataset data, TrainingPipeline.Settings settings, WarmStarts warm) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    int maxValueChars = enhancer == Enhancer.LLMEMB ? llmembConfig.maxValueChars() : p2recConfig.maxValueChars();
    List<String> texts = ItemTexts.of(data, maxValueChars);
    int dim = settings.model().dim();
    EmbeddingInit init = null;
    Tensor lmEmbeddings = null;
    P2RecEnhancer.Result p2rec = null;
    LlmEmbEnhancer.Result llmemb = null;
    switch (enhancer) {
      case NONE, LLM_TRSR -> {} // LLM-TRSR re-ranks an ID-embedding SRS
      case FROZEN_LM -> {
        double std = p2recConfig.initStd();
        if (std == 0) {
          // The benchmarked configuration: the reduced LM table at the scale an ID-only SASRec's table
          // reaches on this data (Xavier's scale starts it far smaller on sparse catalogues).
          long t0 = System.nanoTime();
          std = EmbeddingReduction.std(pretrainedIdTable(data, settings, DataFingerprint.of(LeaveOneOutSplit.of(data).trainSequences(), texts)));
          seconds.put("pretrain", (System.nanoTime() - t0) / 1e9);
          LOG.info("frozen-lm: the LM table is scaled to the ID-only SASRec table's standard deviation, {} (--init-std to choose)", String.format("%.4f", std));
        }
        long t0 = System.nanoTime();
        lmEmbeddings = ItemEmbedder.frozen(cache, checkpoint, texts, p2recConfig.itemTokens(), threads);
        init = EnhancedTable.init(lmEmbeddings, p2recConfig.initMode(), dim, std);
        seconds.put("lm-embeddings", (System.nanoTime() - t0) / 1e9);
      }
      case P2REC -> {
        long t0 = System.nanoTime();
        int[][] train = LeaveOneOutSplit.of(data).trainSequences();
        Tensor idTable = pretrainedIdTable(data, settings, DataFingerprint.of(train, texts));
        seconds.put("pretrain", (System.nanoTime() - t0) / 1e9);
        p2rec = new P2RecEnhancer(p2recConfig, checkpoint, cache, threads).run(texts, train, idTable, dim, warm.p2rec());
        seconds.putAll(p2rec.stageSeconds());
        lmEmbeddings = p2rec.lmEmbeddings();
        init = p2rec.init();
      }
      case LLMEMB -> {
        Tensor idTable = null;
        if (llmembConfig.alignWeight() > 0) {
          long t0 = System.nanoTime();
          idTable = pretrainedIdTable(data, settings, DataFingerprint.of(LeaveOneOutSplit.of(data).trainSequences(), texts));
          seconds.put("pretrain", (System.nanoTime() - t0) / 1e9);
        }
        llmemb = new LlmEmbEnhancer(llmembConfig, checkpoint, cache, threads).run(texts, idTable, dim, warm.llmemb());
        seconds.putAll(llmemb.stageSeconds());
        lmEmbeddings = llmemb.lmEmbeddings();
        init = llmemb.init();
      }
      default -> throw new IllegalStateException();
    }
    long t0 = System.nanoTime();
    // The filled rows are part of the saved model: the pipeline tests the weights after the fill.
    int[] cold = {0};
    boolean fill = init != null && init.mode() == EmbeddingInit.Mode.TRAINABLE;
    Tensor lmTable = lmEmbeddings;
    TrainingPipeline.Result result = TrainingPipeline.run(data, settings, init, weights -> {
      if (fill) cold[0] = fillColdRows(data, weights, lmTable);
    });
    seconds.put(enhancer == Enhancer.LLMEMB ? "rat" : "srs", (System.nanoTime() - t0) / 1e9);
    LlmTrsrRanker.Result trsr = null;
    if (enhancer == Enhancer.LLM_TRSR) {
      ServingModel srs = new ServingModel("trained", settings.model(), result.weights(), data.itemIds());
      trsr = new LlmTrsrRanker(rankerConfig, checkpoint, cache, threads).run(data, srs, settings.model().kind().id(), rankerWarm);
      seconds.putAll(trsr.stageSeconds());
    }
    LOG.info("stage wall times (s): {}", seconds);
    return new Outcome(result, p2rec, llmemb, lmEmbeddings, seconds, cold[0], trsr);
  }

  /**
   * A freely trained table leaves items without training interactions where the softmax pushed
   * them; they get rows estimated from their text instead (the other init modes already derive
   * every row from the text).
   */
  private static int fillColdRows(Dataset data, TensorMap weights, Tensor lmEmbeddings) {
    int[] counts = ColdItemRows.trainCounts(LeaveOneOutSplit.of(data).trainSequences(), data.numItems());
    int cold = 0;
    for (int i = 1; i < counts.length; i++) if (counts[i] == 0) cold++;
    if (cold == 0) return 0;
    Tensor table = weights.get("item_embedding");
    Tensor filled = ColdItemRows.fill(table, lmEmbeddings, counts);
    if (filled == table) return 0;
    weights.put("item_embedding", filled);
    LOG.info("{} items have no training interactions: their rows were estimated from their text", cold);
    return cold;
  }

  /** P2Rec clusters, and LLMEmb aligns with, the item table of an ID-only SASRec trained on the same split. */
  private Tensor pretrainedIdTable(Dataset data, TrainingPipeline.Settings settings, String dataFingerprint) {
    ModelConfig sasrec = settings.model().kind() == ModelKind.SASREC
        ? settings.model()
        : DataDefaults.of(ModelKind.SASREC, data).withDim(settings.model().dim()).withMaxLen(settings.model().maxLen()).withSeed(settings.model().seed());
    TrainingPipeline.Settings pre = new TrainingPipeline.Settings(sasrec, settings.training(), settings.validationUsers(), settings.tailThreshold());
    String key = StageCache.key("pretrain", dataFingerprint, sasrec.toMap(), settings.training());
    return cache.load("pretrain", key).map(m -> m.get("item_embedding")).orElseGet(() -> {
      LOG.info("{}: pre-training the ID-only SASRec whose item table it builds on", enhancer.id());
      TrainingPipeline.Result r = TrainingPipeline.run(data, pre, null);
      Tensor table = r.weights().get("item_embedding");
      cache.save("pretrain", key, new TensorMap().put("item_embedding", table));
      return table;
    });
  }
}
