package org.lmrec.cli;

import java.nio.file.Path;
import java.util.Set;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.StageCache;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.p2rec.SftLoss;
import org.lmrec.enhance.p2rec.SftMode;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.model.EmbeddingInit;
import picocli.CommandLine.Option;

/** LM enhancer settings of {@code train}; anything left out takes {@link P2RecConfig#defaults()}. */
final class EnhancerOptions {
  @Option(names = "--enhancer", description = "none (ID embeddings, default), frozen-lm (base LM embeddings, no fine-tuning) or p2rec.")
  String enhancer = "none";

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

  @Option(names = "--init", description = "How the SRS uses LM embeddings: trainable (PCA-reduced start, default), frozen, or adapter (full table behind a trained projection).")
  String init;

  @Option(names = "--init-std", description = "Std of the PCA-reduced table; default: that of the pre-trained ID table (p2rec) or a Xavier table (frozen-lm).")
  Double initStd;

  @Option(names = "--warm-start", paramLabel = "ARTIFACT", description = "P2Rec: start fine-tuning from this earlier p2rec artifact's LoRA weights and head.")
  Path warmStart;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Finished enhancer stages are kept here, so a rerun resumes (default: ${DEFAULT-VALUE}; 'none' keeps nothing).")
  String workDir = "runs/work";

  Enhancer enhancer() {
    return Enhancer.parse(enhancer);
  }

  LmCheckpoint checkpoint() {
    return LmCheckpoint.parse(lm);
  }

  StageCache cache() {
    return workDir.equals("none") ? StageCache.none() : new StageCache(Path.of(workDir));
  }

  P2RecConfig toConfig(long seed) {
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
    LoraConfig l = d.lora();
    if (loraRank != null || loraAlpha != null || loraDropout != null) {
      d = d.withLora(new LoraConfig(
          loraRank != null ? loraRank : l.rank(),
          loraAlpha != null ? loraAlpha : l.alpha(),
          loraDropout != null ? loraDropout : l.dropout(),
          Set.copyOf(l.targets()),
          l.seed()));
    }
    EmbeddingInit.Mode mode = init == null ? d.initMode() : EmbeddingInit.Mode.valueOf(init.trim().toUpperCase(java.util.Locale.ROOT));
    return d.withInit(mode, initStd != null ? initStd : d.initStd());
  }
}
