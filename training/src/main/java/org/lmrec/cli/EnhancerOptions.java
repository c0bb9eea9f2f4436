package org.lmrec.cli;

import java.nio.file.Path;
import java.util.Set;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.llmemb.ScftConfig;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.SftLoss;
import org.lmrec.enhance.p2rec.SftMode;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ItemAdapter;
import picocli.CommandLine.Option;

/**
 * LM enhancer settings of {@code train}; anything left out takes {@link P2RecConfig#defaults()} or
 * {@link LlmEmbConfig#defaults()}. LoRA and item-token options apply to both fine-tunings.
 */
public final class EnhancerOptions {
  @Option(names = "--enhancer", description = "none (ID embeddings, default), frozen-lm (base LM embeddings, no fine-tuning), p2rec or llmemb.")
  public String enhancer = "none";

  @Option(names = "--lm", paramLabel = "CHECKPOINT", description = "LM checkpoint: 'minilm' (all-MiniLM-L6-v2 from the bundled jar, default) or a folder with one .onnx and a tokenizer.json.")
  String lm = "minilm";

  @Option(names = "--categories", description = "P2Rec: number of latent categories K (default 32).")
  Integer categories;

  @Option(names = "--sft-mode", description = "P2Rec fine-tuning input: user-level (default) or item-wise.")
  String sftMode;

  @Option(names = "--sft-loss", description = "P2Rec fine-tuning loss: mse (default) or kl.")
  String sftLoss;

  @Option(names = "--sft-epochs", description = "P2Rec fine-tuning epochs (default 1).")
  Integer sftEpochs;

  @Option(names = "--sft-users", description = "Cap on P2Rec fine-tuning users, a seeded sample; 0 = all (default 0).")
  Integer sftUsers;

  @Option(names = "--sft-batch", description = "Users per fine-tuning step (default 16).")
  Integer sftBatch;

  @Option(names = "--sft-lr", description = "Fine-tuning learning rate of LoRA and head (default 0.001).")
  Float sftLr;

  @Option(names = "--user-tokens", description = "Token budget of a user's history text, most recent end kept (default 128).")
  Integer userTokens;

  @Option(names = "--item-tokens", description = "Token budget of one item's text (default 64).")
  Integer itemTokens;

  @Option(names = "--lora-rank", description = "LoRA rank r (default 8).")
  Integer loraRank;

  @Option(names = "--lora-alpha", description = "LoRA alpha; scale = alpha / r (default 16).")
  Float loraAlpha;

  @Option(names = "--lora-dropout", description = "Dropout on the LoRA input during fine-tuning (default 0.05).")
  Float loraDropout;

  @Option(names = "--scft-epochs", description = "LLMEmb contrastive fine-tuning epochs over the catalogue; 0 skips SCFT (default 1).")
  Integer scftEpochs;

  @Option(names = "--scft-batch", description = "LLMEmb: items per SCFT step, the rest of the batch being negatives (default 32).")
  Integer scftBatch;

  @Option(names = "--scft-lr", description = "LLMEmb: SCFT learning rate of LoRA and the temperature (default 0.001).")
  Float scftLr;

  @Option(names = "--scft-drop", description = "LLMEmb: share of attributes each augmented view drops (default 0.4).")
  Double scftDrop;

  @Option(names = "--pca-dim", description = "LLMEmb: PCA width of the frozen LM item table, capped at the LM width (default 384).")
  Integer pcaDim;

  @Option(names = "--adapter-hidden", description = "LLMEmb: hidden width of the two-layer adapter; 0 = half its input (default 0).")
  Integer adapterHidden;

  @Option(names = "--adapter-activation", description = "LLMEmb: activation between the adapter layers: none (default), relu, gelu, tanh.")
  String adapterActivation;

  @Option(names = "--align-weight", description = "LLMEmb: weight α of the alignment with the ID-only SASRec's items; 0 = none (default 0.01).")
  Float alignWeight;

  @Option(names = "--align-temperature", description = "LLMEmb: temperature τ of the alignment loss (default 2).")
  Float alignTemperature;

  @Option(names = "--init", description = "How the SRS uses LM embeddings: trainable (PCA-reduced start, default), frozen, or adapter (full table behind a trained projection).")
  String init;

  @Option(names = "--init-std", description = "Std of the PCA-reduced table; default: that of the pre-trained ID table (p2rec) or a Xavier table (frozen-lm).")
  Double initStd;

  @Option(names = "--warm-start", paramLabel = "ARTIFACT", description = "Start fine-tuning from an earlier artifact of the same enhancer: P2Rec's LoRA weights and head, or LLMEmb's SCFT LoRA and temperature.")
  public Path warmStart;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Finished enhancer stages are kept here, so a rerun resumes (default: ${DEFAULT-VALUE}; 'none' keeps nothing).")
  String workDir = "runs/work";

  public Enhancer enhancer() {
    return Enhancer.parse(enhancer);
  }

  public LmCheckpoint checkpoint() {
    return LmCheckpoint.parse(lm);
  }

  /** The work directory, or null for 'none'. */
  public Path workDir() {
    return workDir.equals("none") ? null : Path.of(workDir);
  }

  public StageCache cache() {
    return workDir.equals("none") ? StageCache.none() : new StageCache(Path.of(workDir));
  }

  public LlmEmbConfig toLlmEmbConfig(long seed) {
    LlmEmbConfig d = LlmEmbConfig.defaults().withSeed(seed);
    ScftConfig s = d.scft();
    s = s.withTraining(scftEpochs != null ? scftEpochs : s.epochs(), scftBatch != null ? scftBatch : s.batchSize(), scftLr != null ? scftLr : s.learningRate());
    if (scftDrop != null) s = s.withDropShare(scftDrop);
    if (itemTokens != null) s = s.withItemTokens(itemTokens);
    d = d.withScft(s).withLora(lora(d.lora()));
    if (pcaDim != null) d = d.withReducedDim(pcaDim);
    d = d.withAdapter(adapterHidden != null ? adapterHidden : d.adapterHidden(),
        adapterActivation != null ? ItemAdapter.Activation.parse(adapterActivation) : d.activation());
    return d.withAlignment(alignWeight != null ? alignWeight : d.alignWeight(), alignTemperature != null ? alignTemperature : d.alignTemperature(), d.alignItems());
  }

  private LoraConfig lora(LoraConfig l) {
    if (loraRank == null && loraAlpha == null && loraDropout == null) return l;
    return new LoraConfig(
        loraRank != null ? loraRank : l.rank(),
        loraAlpha != null ? loraAlpha : l.alpha(),
        loraDropout != null ? loraDropout : l.dropout(),
        Set.copyOf(l.targets()),
        l.seed());
  }

  public P2RecConfig toConfig(long seed) {
    P2RecConfig d = P2RecConfig.defaults().withSeed(seed);
    if (categories != null) d = d.withCategories(categories);
    if (sftMode != null) d = d.withMode(SftMode.parse(sftMode));
    if (sftLoss != null) d = d.withLoss(SftLoss.parse(sftLoss));
    d = d.withTokens(userTokens != null ? userTokens : d.userTokens(), itemTokens != null ? itemTokens : d.itemTokens());
    d = d.withTraining(
        sftEpochs != null ? sftEpochs : d.epochs(),
        sftBatch != null ? sftBatch : d.batchSize(),
        sftLr != null ? sftLr : d.learningRate(),
        sftUsers != null ? sftUsers : d.maxUsers());
    d = d.withLora(lora(d.lora()));
    EmbeddingInit.Mode mode = init == null ? d.initMode() : EmbeddingInit.Mode.valueOf(init.trim().toUpperCase(java.util.Locale.ROOT));
    return d.withInit(mode, initStd != null ? initStd : d.initStd());
  }
}
