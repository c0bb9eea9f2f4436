package org.lmrec.cli;

import java.nio.file.Path;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.llmemb.ScftConfig;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.settings.Settings;
import org.lmrec.settings.Settings.Sets;
import picocli.CommandLine.Option;

/**
 * LM enhancer settings of {@code train}; anything left out takes {@link P2RecConfig#defaults()} or
 * {@link LlmEmbConfig#defaults()}. LoRA and item-token options apply to both fine-tunings. Each
 * option names the component it sets and the settings records it belongs to ({@link Sets}).
 */
public final class EnhancerOptions {
  @Option(names = "--enhancer", description = "none (ID embeddings, default), frozen-lm (base LM embeddings, no fine-tuning), p2rec, llmemb, or llm-trsr (a fine-tuned yes/no LM ranker over the SRS).")
  public String enhancer = "none";

  @Option(names = "--lm", paramLabel = "CHECKPOINT", description = "LM checkpoint: 'minilm' (all-MiniLM-L6-v2 from the bundled jar, default) or a folder with one .onnx, a tokenizer.json and optionally lmrec-lm.properties (e.g. from 'lmrec lm extract e5-small-v2 DIR').")
  String lm = "minilm";

  @Option(names = "--categories", description = "P2Rec: number of latent categories K (default 32).")
  @Sets(value = "categories", in = P2RecConfig.class)
  Integer categories;

  @Option(names = "--sft-mode", description = "P2Rec fine-tuning input: user-level (default) or item-wise.")
  @Sets(value = "mode", in = P2RecConfig.class)
  String sftMode;

  @Option(names = "--sft-loss", description = "P2Rec fine-tuning loss: mse (default) or kl.")
  @Sets(value = "loss", in = P2RecConfig.class)
  String sftLoss;

  @Option(names = "--sft-epochs", description = "P2Rec fine-tuning epochs (default 1).")
  @Sets(value = "epochs", in = P2RecConfig.class)
  Integer sftEpochs;

  @Option(names = "--sft-users", description = "Cap on P2Rec fine-tuning users, a seeded sample; 0 = all (default 0).")
  @Sets(value = "maxUsers", in = P2RecConfig.class)
  Integer sftUsers;

  @Option(names = "--sft-batch", description = "Users per fine-tuning step (default 16).")
  @Sets(value = "batchSize", in = P2RecConfig.class)
  Integer sftBatch;

  @Option(names = "--sft-lr", description = "Fine-tuning learning rate of LoRA and head (default 0.001).")
  @Sets(value = "learningRate", in = P2RecConfig.class)
  Float sftLr;

  @Option(names = "--user-tokens", description = "Token budget of a user's history text, most recent end kept (default 128).")
  @Sets(value = "userTokens", in = P2RecConfig.class)
  Integer userTokens;

  @Option(names = "--item-tokens", description = "Token budget of one item's text (default 64).")
  @Sets(value = "itemTokens", in = {P2RecConfig.class, ScftConfig.class})
  Integer itemTokens;

  @Option(names = "--summary-strategy", description = "LLM-TRSR: the prompt's preference summary: recurrent (default), hierarchical, or none (recent items only).")
  @Sets(value = "summary", in = RankerConfig.class)
  String summaryStrategy;

  @Option(names = "--recent-items", description = "LLM-TRSR: newest history items in the ranking prompt (default 3).")
  @Sets(value = "recentItems", in = RankerConfig.class)
  Integer recentItems;

  @Option(names = "--prompt-tokens", description = "LLM-TRSR: token budget of one ranking prompt; the profile is cut first (default 160).")
  @Sets(value = "maxTokens", in = RankerConfig.class)
  Integer promptTokens;

  @Option(names = "--ranker-epochs", description = "LLM-TRSR: SFT epochs of the yes/no ranker; the best on validation is kept (default 1).")
  @Sets(value = "epochs", in = RankerConfig.class)
  Integer rankerEpochs;

  @Option(names = "--ranker-users", description = "LLM-TRSR: cap on SFT users (one positive and one negative prompt each), a seeded sample; 0 = all (default 2000).")
  @Sets(value = "maxUsers", in = RankerConfig.class)
  Integer rankerUsers;

  @Option(names = "--ranker-batch", description = "LLM-TRSR: prompts per SFT step, even (default 16).")
  @Sets(value = "batchSize", in = RankerConfig.class)
  Integer rankerBatch;

  @Option(names = "--ranker-lr", description = "LLM-TRSR: SFT learning rate of LoRA and the yes/no head (default 0.001).")
  @Sets(value = "learningRate", in = RankerConfig.class)
  Float rankerLr;

  @Option(names = "--ranker-validation-users", description = "LLM-TRSR: validation users ranked after each SFT epoch for model selection (default 100).")
  @Sets(value = "validationUsers", in = RankerConfig.class)
  Integer rankerValidationUsers;

  @Option(names = "--eval-users", description = "LLM-TRSR: test users the ranker is evaluated on, a seeded sample; 0 = all (default 500).")
  @Sets(value = "evalUsers", in = RankerConfig.class)
  Integer evalUsers;

  @Option(names = "--rerank-top", description = "LLM-TRSR: how many of the SRS's top items the ranker re-ranks in the full-catalogue protocol (default 50).")
  @Sets(value = "rerankTop", in = RankerConfig.class)
  Integer rerankTop;

  @Option(names = "--lora-rank", description = "LoRA rank r (default 8).")
  @Sets(value = "rank", in = LoraConfig.class)
  Integer loraRank;

  @Option(names = "--lora-alpha", description = "LoRA alpha; scale = alpha / r (default 16).")
  @Sets(value = "alpha", in = LoraConfig.class)
  Float loraAlpha;

  @Option(names = "--lora-dropout", description = "Dropout on the LoRA input during fine-tuning (default 0.05).")
  @Sets(value = "dropout", in = LoraConfig.class)
  Float loraDropout;

  @Option(names = "--scft-epochs", description = "LLMEmb contrastive fine-tuning epochs over the catalogue; 0 skips SCFT (default 1).")
  @Sets(value = "epochs", in = ScftConfig.class)
  Integer scftEpochs;

  @Option(names = "--scft-batch", description = "LLMEmb: items per SCFT step, the rest of the batch being negatives (default 32).")
  @Sets(value = "batchSize", in = ScftConfig.class)
  Integer scftBatch;

  @Option(names = "--scft-lr", description = "LLMEmb: SCFT learning rate of LoRA and the temperature (default 0.001).")
  @Sets(value = "learningRate", in = ScftConfig.class)
  Float scftLr;

  @Option(names = "--scft-drop", description = "LLMEmb: share of attributes each augmented view drops (default 0.4).")
  @Sets(value = "dropShare", in = ScftConfig.class)
  Double scftDrop;

  @Option(names = "--pca-dim", description = "LLMEmb: PCA width of the frozen LM item table, capped at the LM width (default 384).")
  @Sets(value = "reducedDim", in = LlmEmbConfig.class)
  Integer pcaDim;

  @Option(names = "--adapter-hidden", description = "LLMEmb: hidden width of the two-layer adapter; 0 = half its input (default 0).")
  @Sets(value = "adapterHidden", in = LlmEmbConfig.class)
  Integer adapterHidden;

  @Option(names = "--adapter-activation", description = "LLMEmb: activation between the adapter layers: none (default), relu, gelu, tanh.")
  @Sets(value = "activation", in = LlmEmbConfig.class)
  String adapterActivation;

  @Option(names = "--item-residual", negatable = true,
      description = "LLMEmb: a trainable per-item table beside the adapter's output, starting at zero (lmrec's variant, not the paper's form; default off).")
  @Sets(value = "itemResidual", in = LlmEmbConfig.class)
  Boolean itemResidual;

  @Option(names = "--residual-l2",
      description = "LLMEmb: weight λ of an L2 term λ·Σ (residual − its start)² on the --item-residual table (lmrec's variant; default 0, none).")
  @Sets(value = "residualL2", in = LlmEmbConfig.class)
  Float residualL2;

  @Option(names = "--residual-start",
      description = "LLMEmb: where the --item-residual table starts: zero (default) or text (the tuned LM's rows, PCA to d, the frozen-LM start; lmrec's variant).")
  @Sets(value = "residualStart", in = LlmEmbConfig.class)
  String residualStart;

  @Option(names = "--align-weight", description = "LLMEmb: weight α of the alignment with the ID-only SASRec's items; 0 = none (default 0.01).")
  @Sets(value = "alignWeight", in = LlmEmbConfig.class)
  Float alignWeight;

  @Option(names = "--align-temperature", description = "LLMEmb: temperature τ of the alignment loss (default 2).")
  @Sets(value = "alignTemperature", in = LlmEmbConfig.class)
  Float alignTemperature;

  @Option(names = "--init", description = "How the SRS uses LM embeddings: trainable (PCA-reduced start, default), frozen, or adapter (full table behind a trained projection).")
  @Sets(value = "initMode", in = P2RecConfig.class)
  String init;

  @Option(names = "--init-std", description = "Std of the PCA-reduced table (p2rec, frozen-lm); default: that of an ID-only SASRec's item table trained on the same split (kept in --work-dir).")
  @Sets(value = "initStd", in = P2RecConfig.class)
  Double initStd;

  @Option(names = "--warm-start", paramLabel = "ARTIFACT", description = "Start fine-tuning from an earlier artifact of the same enhancer: P2Rec's LoRA weights and head, LLMEmb's SCFT LoRA and temperature, or LLM-TRSR's ranker LoRA and head.")
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
    return Settings.apply(LlmEmbConfig.defaults().withSeed(seed), this);
  }

  public RankerConfig toRankerConfig(long seed) {
    return Settings.apply(RankerConfig.defaults().withSeed(seed), this);
  }

  public P2RecConfig toConfig(long seed) {
    return Settings.apply(P2RecConfig.defaults().withSeed(seed), this);
  }
}
