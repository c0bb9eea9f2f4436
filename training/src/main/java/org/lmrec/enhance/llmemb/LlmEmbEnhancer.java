package org.lmrec.enhance.llmemb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.artifact.Sha256;
import org.lmrec.enhance.DataFingerprint;
import org.lmrec.enhance.EmbeddingReduction;
import org.lmrec.enhance.ItemEmbeddingStore;
import org.lmrec.enhance.StageCache;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraWeights;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ItemAlignment;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLMEmb (METHODS.md §2) up to the SRS: SCFT of the LM on attribute-dropped views of every item
 * (LoRA), export of every item's pooled embedding through the tuned LM, PCA to a compact frozen
 * table (at the scale of an SRS item table), and the RAT set-up for the SRS (that table behind a two-layer adapter, aligned with an
 * ID-only SASRec's items). Finished stages are kept in a {@link StageCache}; a previous run's LoRA
 * and temperature can warm-start SCFT.
 */
public final class LlmEmbEnhancer {
  private static final Logger LOG = LoggerFactory.getLogger(LlmEmbEnhancer.class);

  /** What a previous run's SCFT learnt, to continue from instead of a fresh LoRA. */
  public record WarmStart(LoraWeights lora, float temperature) {}

  /**
   * @param lora the SCFT LoRA weights (null when SCFT was skipped)
   * @param scftLosses mean loss of every SCFT epoch (empty when skipped)
   * @param temperature the learnt τ (the initial one when skipped)
   * @param lmEmbeddings pooled LM embedding of every item, {@code [numItems + 1, hidden]}
   * @param reduced the PCA-reduced frozen table RAT reads, {@code [numItems + 1, reducedDim]}
   * @param init the SRS's item table set-up: {@code reduced} behind the adapter, with alignment
   * @param stageSeconds wall time of each stage (near 0 when reused from the cache)
   */
  public record Result(
      LoraWeights lora,
      List<Double> scftLosses,
      float temperature,
      Tensor lmEmbeddings,
      Tensor reduced,
      EmbeddingInit init,
      Map<String, Double> stageSeconds) {}

  private final LlmEmbConfig config;
  private final LmCheckpoint checkpoint;
  private final StageCache cache;
  private final int threads;

  public LlmEmbEnhancer(LlmEmbConfig config, LmCheckpoint checkpoint, StageCache cache, int threads) {
    this.config = config;
    this.checkpoint = checkpoint;
    this.cache = cache;
    this.threads = threads;
  }

  /**
   * @param itemTexts text by item index (entry 0 empty)
   * @param idItemTable item table of an ID-only SASRec trained on the same split, {@code [numItems + 1, d]};
   *     may be null when {@code alignWeight} is 0
   * @param srsDim dimension of the downstream SRS
   */
  public Result run(List<String> itemTexts, Tensor idItemTable, int srsDim, WarmStart warm) {
    if (config.alignWeight() > 0 && idItemTable == null) {
      throw new IllegalArgumentException("LLMEmb's alignment needs the item table of an ID-only SASRec");
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    String dataKey = DataFingerprint.of(new int[0][], itemTexts);

    long t0 = System.nanoTime();
    LoraWeights lora = null;
    List<Double> losses = List.of();
    float temperature = warm == null ? config.scft().initialTemperature() : warm.temperature();
    String scftKey = "none";
    if (config.contrastiveTuning()) {
      ScftConfig scft = warm == null ? config.scft() : config.scft().withInitialTemperature(warm.temperature());
      String warmKey = warm == null ? "cold" : Sha256.hex(SafeTensors.toBytes(warm.lora().toTensorMap()));
      scftKey = StageCache.key("scft", dataKey, scft.toMap(), config.lora(), config.maxValueChars(), checkpoint.embeddingKey(), warmKey);
      Optional<TensorMap> cached = cache.load("scft", scftKey);
      if (cached.isPresent()) {
        TensorMap m = cached.get();
        float[] state = m.get("scft_state").data();
        temperature = state[0];
        losses = new ArrayList<>();
        for (int i = 1; i < state.length; i++) losses.add((double) state[i]);
        lora = LoraWeights.fromTensorMap(m.without("scft_state"), config.lora());
      } else {
        try (TrainableLm lm = new TrainableLm(checkpoint, config.lora())) {
          if (warm != null) lm.loadLora(warm.lora());
          ScftTrainer trainer = new ScftTrainer(scft, lm);
          losses = trainer.train(itemTexts);
          temperature = trainer.temperature();
          lora = lm.loraWeights();
        }
        float[] state = new float[losses.size() + 1];
        state[0] = temperature;
        for (int i = 0; i < losses.size(); i++) state[i + 1] = losses.get(i).floatValue();
        cache.save("scft", scftKey, lora.toTensorMap().put("scft_state", new Tensor(state, state.length)));
      }
      seconds.put("scft", secondsSince(t0));
    }

    t0 = System.nanoTime();
    int tokens = config.scft().itemTokens();
    Tensor lmEmbeddings = ItemEmbeddingStore.in(cache).embed(checkpoint, lora, itemTexts, tokens, threads).table();
    int width = Math.min(config.reducedDim(), Math.min(lmEmbeddings.dim(1), lmEmbeddings.dim(0) - 1));
    if (width < config.reducedDim()) {
      LOG.info("LLMEmb: PCA width {} capped at {} (LM width {}, {} items)", config.reducedDim(), width, lmEmbeddings.dim(1), lmEmbeddings.dim(0) - 1);
    }
    // The adapter's Xavier layers roughly keep the scale of their input, so the table gets the
    // scale an SRS item table trains well at: at unit scale the first logits are ~40x too large
    // and training stalls (measured on Office: NDCG@10 0.002).
    double std = idItemTable != null ? EmbeddingReduction.std(idItemTable) : EmbeddingInit.xavierStd(lmEmbeddings.dim(0), srsDim);
    Tensor reduced = EmbeddingReduction.pca(lmEmbeddings, width, std);
    seconds.put("export", secondsSince(t0));

    ItemAlignment alignment = config.alignWeight() > 0
        ? new ItemAlignment(idItemTable, config.alignWeight(), config.alignTemperature(), config.alignItems())
        : null;
    // lmrec's variant: the residual starts where the frozen-LM start would (the tuned LM's rows, PCA to d)
    Tensor residualStart = config.residualStart() == LlmEmbConfig.ResidualStart.TEXT
        ? EmbeddingReduction.pca(lmEmbeddings, srsDim, std) : null;
    EmbeddingInit init = new EmbeddingInit(reduced, EmbeddingInit.Mode.ADAPTER, config.adapter(width), alignment, residualStart);
    LOG.info("LLMEmb: frozen table {} behind adapter {}, alignment {}", reduced, init.adapter(),
        alignment == null ? "off" : "α " + alignment.weight() + ", τ " + alignment.temperature());
    return new Result(lora, losses, temperature, lmEmbeddings, reduced, init, seconds);
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
