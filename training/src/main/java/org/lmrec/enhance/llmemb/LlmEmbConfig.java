package org.lmrec.enhance.llmemb;

import org.lmrec.lm.LoraConfig;
import org.lmrec.model.ItemAdapter;
import org.lmrec.settings.Settings;

/**
 * Every LLMEmb setting (METHODS.md §2), defaults in {@link #defaults()}. The two ablations of the
 * paper are settings, not separate methods: {@code scft.epochs() == 0} skips the contrastive
 * fine-tuning (RAT over the base LM's embeddings), {@code alignWeight == 0} drops the alignment.
 *
 * @param scft the contrastive fine-tuning (SCFT)
 * @param lora LoRA of the LM during SCFT
 * @param reducedDim PCA width of the exported LM embeddings, the frozen table RAT reads, capped
 *     at the LM width and the catalogue size. The reference reduces 4096 to 1536; the default 384
 *     reduces any larger checkpoint and keeps all of MiniLM's 384 dimensions (PCA then only
 *     centres and rotates), because on Office SASRec lost a third of its NDCG@10 at 128
 *     (0.0263 against 0.0418, seed 1)
 * @param adapterHidden hidden width of the two-layer adapter; 0 = half its input width (the reference)
 * @param activation between the adapter's layers (none in the reference)
 * @param itemResidual a trainable per-item table beside the adapter's output, starting at zero
 *     ({@link ItemAdapter#residual()}): lmrec's variant, not the paper's form (off by default)
 * @param residualL2 λ of an L2 term {@code λ · Σ (residual − its start)²} on that table ({@link ItemAdapter#residualL2()};
 *     lmrec's variant, 0 = none, the default); needs {@code itemResidual}
 * @param residualStart where that table starts: ZERO (the default) or TEXT, the tuned LM's item
 *     embeddings reduced by PCA to the SRS dimension at the ID table's scale, the frozen-LM start
 *     (lmrec's variant); TEXT needs {@code itemResidual}
 * @param alignWeight α, weight of the alignment with the ID-only SASRec's items (0.01)
 * @param alignTemperature τ of the alignment loss (2)
 * @param alignItems cap on the distinct items aligned per training batch
 * @param maxValueChars cut of each attribute value in item texts
 */
public record LlmEmbConfig(
    ScftConfig scft,
    LoraConfig lora,
    int reducedDim,
    int adapterHidden,
    ItemAdapter.Activation activation,
    boolean itemResidual,
    float residualL2,
    ResidualStart residualStart,
    float alignWeight,
    float alignTemperature,
    int alignItems,
    int maxValueChars) implements Settings<LlmEmbConfig> {

  /** Where the residual table starts ({@link #residualStart()}). */
  public enum ResidualStart {
    ZERO, TEXT
  }

  public LlmEmbConfig {
    if (!(residualL2 >= 0) || Float.isInfinite(residualL2)) throw new IllegalArgumentException("residualL2 must be finite and not negative, got " + residualL2);
    if (residualStart == null) throw new IllegalArgumentException("residualStart must be given (ZERO for zero)");
    if (reducedDim < 2) throw new IllegalArgumentException("reducedDim must be at least 2, got " + reducedDim);
    if (adapterHidden < 0) throw new IllegalArgumentException("adapterHidden must not be negative, got " + adapterHidden);
    if (!(alignWeight >= 0)) throw new IllegalArgumentException("alignWeight must not be negative, got " + alignWeight);
    if (!(alignTemperature > 0)) throw new IllegalArgumentException("alignTemperature must be positive, got " + alignTemperature);
    if (alignItems < 2) throw new IllegalArgumentException("alignItems must be at least 2, got " + alignItems);
    if (maxValueChars < 1) throw new IllegalArgumentException("maxValueChars must be positive");
  }

  public static LlmEmbConfig defaults() {
    return new LlmEmbConfig(ScftConfig.defaults(), LoraConfig.defaults(), 384, 0, ItemAdapter.Activation.NONE, false, 0f, ResidualStart.ZERO, 0.01f, 2f, 512, 100);
  }

  public boolean contrastiveTuning() {
    return scft.epochs() > 0;
  }

  /** The adapter for a frozen table of the given width. */
  public ItemAdapter adapter(int inputWidth) {
    if (!itemResidual && (residualL2 > 0 || residualStart != ResidualStart.ZERO)) {
      throw new IllegalArgumentException("residualL2 " + residualL2 + " and residualStart " + residualStart + " need itemResidual");
    }
    return ItemAdapter.twoLayer(adapterHidden > 0 ? adapterHidden : Math.max(1, inputWidth / 2), activation)
        .withResidual(itemResidual).withResidualL2(residualL2);
  }

  public LlmEmbConfig withScft(ScftConfig v) {
    return with(LlmEmbConfig::scft, v);
  }

  public LlmEmbConfig withLora(LoraConfig v) {
    return with(LlmEmbConfig::lora, v);
  }

  public LlmEmbConfig withReducedDim(int v) {
    return with(LlmEmbConfig::reducedDim, v);
  }

  public LlmEmbConfig withAdapter(int hidden, ItemAdapter.Activation act) {
    return edit().set(LlmEmbConfig::adapterHidden, hidden).set(LlmEmbConfig::activation, act).build();
  }

  public LlmEmbConfig withItemResidual(boolean on) {
    return with(LlmEmbConfig::itemResidual, on);
  }

  public LlmEmbConfig withResidualL2(float v) {
    return with(LlmEmbConfig::residualL2, v);
  }

  public LlmEmbConfig withResidualStart(ResidualStart v) {
    return with(LlmEmbConfig::residualStart, v);
  }

  public LlmEmbConfig withAlignment(float weight, float temperature, int items) {
    return edit().set(LlmEmbConfig::alignWeight, weight).set(LlmEmbConfig::alignTemperature, temperature).set(LlmEmbConfig::alignItems, items).build();
  }

  public LlmEmbConfig withSeed(long v) {
    return withScft(scft.withSeed(v));
  }
}
