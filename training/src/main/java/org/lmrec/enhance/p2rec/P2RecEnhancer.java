package org.lmrec.enhance.p2rec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.artifact.Sha256;
import org.lmrec.enhance.DataFingerprint;
import org.lmrec.enhance.EmbeddingReduction;
import org.lmrec.enhance.EnhancedTable;
import org.lmrec.enhance.ItemEmbeddingStore;
import org.lmrec.enhance.StageCache;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraWeights;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * P2Rec (METHODS.md §1) after the ID-only pre-training: latent categories by k-means over the
 * pre-trained item table, g_u per user, user-level fine-tuning of the LM (LoRA + head), then every
 * item alone through the tuned LM, reduced to the SRS dimension. Finished stages are kept in a
 * {@link StageCache}, and a previous run's LoRA weights and head can warm-start the fine-tuning.
 */
public final class P2RecEnhancer {
  private static final Logger LOG = LoggerFactory.getLogger(P2RecEnhancer.class);

  /** Weights a previous run fine-tuned, to start from instead of a fresh LoRA (head when K matches). */
  public record WarmStart(LoraWeights lora, Tensor head) {}

  /**
   * @param lmEmbeddings the tuned LM's pooled embedding of every item, {@code [numItems + 1, hidden]}
   * @param init the table the downstream SRS starts from
   * @param stageSeconds wall time of each stage (0 when reused from the cache)
   * @param itemsEmbedded items the tuned LM embedded in this run; the others' rows were reused
   */
  public record Result(
      LatentCategories categories,
      PreferencePriors priors,
      SftReport sft,
      LoraWeights lora,
      Tensor head,
      Tensor lmEmbeddings,
      EmbeddingInit init,
      Map<String, Double> stageSeconds,
      int itemsEmbedded) {}

  private final P2RecConfig config;
  private final LmCheckpoint checkpoint;
  private final StageCache cache;
  private final int threads;

  public P2RecEnhancer(P2RecConfig config, LmCheckpoint checkpoint, StageCache cache, int threads) {
    this.config = config;
    this.checkpoint = checkpoint;
    this.cache = cache;
    this.threads = threads;
  }

  /**
   * @param itemTexts text by item index (entry 0 empty)
   * @param trainSequences per-user training sequences (no validation or test items)
   * @param idItemTable item table of the pre-trained ID-only SRS, {@code [numItems + 1, d]}
   * @param srsDim dimension of the downstream SRS
   */
  public Result run(List<String> itemTexts, int[][] trainSequences, Tensor idItemTable, int srsDim, WarmStart warm) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    String dataKey = DataFingerprint.of(trainSequences, itemTexts);
    String tableKey = Sha256.hex(SafeTensors.toBytes(new TensorMap().put("t", idItemTable)));

    long t0 = System.nanoTime();
    String categoriesKey = StageCache.key("categories", dataKey, tableKey, config.categories(), config.kmeansIterations(), config.seed());
    LatentCategories categories = cache.load("categories", categoriesKey).map(P2RecEnhancer::categoriesFrom).orElseGet(() -> {
      LatentCategories c = LatentCategories.cluster(idItemTable, config.categories(), config.kmeansIterations(), config.seed());
      cache.save("categories", categoriesKey, categoriesTo(c));
      return c;
    });
    PreferencePriors priors = PreferencePriors.of(trainSequences, categories);
    seconds.put("categories", secondsSince(t0));
    LOG.info("P2Rec: {} latent categories (sizes {}), g_u for {} users", categories.k(), java.util.Arrays.toString(categories.sizes()), priors.numUsers());

    t0 = System.nanoTime();
    String warmKey = warm == null ? "cold" : Sha256.hex(SafeTensors.toBytes(warm.lora().toTensorMap()));
    String sftKey = StageCache.key("sft", categoriesKey, config.sftKeyInputs(), checkpoint.embeddingKey(), warmKey);
    Optional<TensorMap> cachedSft = cache.load("sft", sftKey);
    LoraWeights lora;
    Tensor head;
    SftReport report;
    if (warm != null && config.epochs() == 0) {
      // The LM is not due for a refresh: keep the previous run's LoRA and head exactly, so the
      // augmentation below embeds only new or changed items.
      LOG.info("P2Rec: 0 fine-tuning epochs with a warm start: reusing the previous LoRA weights and head as they are");
      lora = warm.lora();
      head = warm.head();
      report = SftReport.reused();
    } else if (cachedSft.isPresent()) {
      TensorMap m = cachedSft.get();
      lora = LoraWeights.fromTensorMap(m.without("head", "report"), config.lora());
      head = m.get("head");
      report = reportFrom(m.get("report"));
    } else {
      try (TrainableLm lm = new TrainableLm(checkpoint, config.lora())) {
        if (warm != null) lm.loadLora(warm.lora());
        PreferenceSft sft = new PreferenceSft(config, lm, itemTexts, categories.k(), warm == null ? null : warm.head());
        report = sft.train(trainSequences, priors);
        lora = lm.loraWeights();
        head = sft.head();
      }
      TensorMap out = lora.toTensorMap();
      out.put("head", head);
      out.put("report", reportTo(report));
      cache.save("sft", sftKey, out);
    }
    seconds.put("sft", secondsSince(t0));

    t0 = System.nanoTime();
    ItemEmbeddingStore.Result embedded = ItemEmbeddingStore.in(cache).embed(checkpoint, lora, itemTexts, config.itemTokens(), threads);
    Tensor lmEmbeddings = embedded.table();
    double std = config.initStd() > 0 ? config.initStd() : EmbeddingReduction.std(idItemTable);
    EmbeddingInit init = EnhancedTable.init(lmEmbeddings, config.initMode(), srsDim, std);
    seconds.put("augment", secondsSince(t0));
    return new Result(categories, priors, report, lora, head, lmEmbeddings, init, seconds, embedded.embedded());
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static TensorMap categoriesTo(LatentCategories c) {
    float[] assignment = new float[c.categoryOfItem().length];
    for (int i = 0; i < assignment.length; i++) assignment[i] = c.categoryOfItem()[i];
    return new TensorMap().put("centroids", c.centroids()).put("category_of_item", new Tensor(assignment, assignment.length));
  }

  private static LatentCategories categoriesFrom(TensorMap m) {
    float[] a = m.get("category_of_item").data();
    int[] category = new int[a.length];
    for (int i = 0; i < a.length; i++) category[i] = (int) a[i];
    return new LatentCategories(category, m.get("centroids"));
  }

  private static Tensor reportTo(SftReport r) {
    List<Double> v = new ArrayList<>(List.of(r.heldOutLoss(), r.heldOutBaseline(), (double) r.users(), (double) r.heldOutUsers(), r.seconds()));
    v.addAll(r.epochLosses());
    float[] f = new float[v.size()];
    for (int i = 0; i < f.length; i++) f[i] = v.get(i).floatValue();
    return new Tensor(f, f.length);
  }

  private static SftReport reportFrom(Tensor t) {
    float[] f = t.data();
    List<Double> losses = new ArrayList<>();
    for (int i = 5; i < f.length; i++) losses.add((double) f[i]);
    return new SftReport(losses, f[0], f[1], (int) f[2], (int) f[3], f[4]);
  }
}
