package org.lmrec.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactStore;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.EnhancedArtifacts;
import org.lmrec.enhance.EnhancedTraining;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.llmemb.LlmEmbArtifactFiles;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.p2rec.P2RecArtifactFiles;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.enhance.trsr.LlmTrsrRanker;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.ModelConfig;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;
import org.lmrec.settings.Settings;
import org.lmrec.settings.Settings.Sets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a sequential recommender and write a versioned model artifact.",
      "Leave-one-out split, early stopping on validation NDCG@10 (full ranking); reports test HR/NDCG@10,20",
      "by full ranking and by 1 positive + 100 sampled negatives, overall and for tail/head items.",
      "--enhancer p2rec first pre-trains an ID-only SASRec, clusters its items into latent categories, fine-tunes",
      "the LM (LoRA) to predict each user's category distribution, and starts the SRS from the tuned LM's item embeddings.",
      "--enhancer llmemb fine-tunes the LM contrastively on each item's attributes (two views with attributes dropped),",
      "reduces its item embeddings by PCA to a frozen table, and trains the SRS through a two-layer adapter on that table,",
      "aligned with a pre-trained ID-only SASRec; the adapter is folded into the artifact's item table for serving.",
      "--enhancer llm-trsr trains the SRS on ID embeddings, then fine-tunes a yes/no LM ranker (LoRA + a two-way head) on prompts",
      "of the user's summary, recent items and one candidate, and evaluates it on --eval-users test users: 1 positive + 20 random",
      "negatives (Recall/MRR@3,5,10, beside the SRS on the same candidates) and the SRS's top 50 re-ranked (HR/NDCG@10 over the catalogue)."
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin EnhancerOptions enhance = new EnhancerOptions();

  @Option(names = "--epochs", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
  @Sets(value = "maxEpochs", in = TrainingOptions.class)
  int epochs = TrainingOptions.defaults().maxEpochs();

  @Option(names = "--patience", description = "Stop after this many validations without improvement (default: ${DEFAULT-VALUE}).")
  @Sets(value = "patience", in = TrainingOptions.class)
  int patience = TrainingOptions.defaults().patience();

  @Option(names = "--max-minutes", description = "Wall-clock budget for training, 0 = none (default: ${DEFAULT-VALUE}).")
  long maxMinutes;

  @Option(names = "--eval-every", description = "Validate every N epochs (default: ${DEFAULT-VALUE}).")
  @Sets(value = "evalEvery", in = TrainingOptions.class)
  int evalEvery = TrainingOptions.defaults().evalEvery();

  @Option(names = "--validation-users", description = "Cap on users validated during training, 0 = all (default: ${DEFAULT-VALUE}).")
  int validationUsers = 10_000;

  @Option(names = "--tail-threshold", description = "Items with fewer training users are 'tail' (default: the 80%% least popular).")
  Integer tailThreshold;

  @Option(names = "--artifacts", paramLabel = "DIR", description = "Where model artifacts are written (default: ${DEFAULT-VALUE}).")
  Path artifacts = Path.of("runs", "artifacts");

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(names = "--summary-catalogue", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Attach the items' titles, attributes and embeddings for the streaming job's user summaries, when the dataset has item attributes (default: ${DEFAULT-VALUE}).")
  boolean summaryCatalogue = true;

  @Override
  public Integer call() {
    org.lmrec.model.EngineSettings.configure(threads);
    Dataset dataset = data.load();
    ModelConfig cfg = model.toConfig(dataset);
    String defaultNote = model.dataDefaultNote(dataset);
    if (defaultNote != null) System.err.println("lmrec: " + defaultNote);
    TrainingOptions options = Settings.apply(TrainingOptions.defaults(), this).withMaxSeconds(maxMinutes * 60);
    Enhancer enhancer = enhance.enhancer();
    P2RecConfig p2rec = enhance.toConfig(cfg.seed());
    LlmEmbConfig llmemb = enhance.toLlmEmbConfig(cfg.seed());
    LmCheckpoint checkpoint = enhancer == Enhancer.NONE ? null : enhance.checkpoint();
    RankerConfig ranker = enhance.toRankerConfig(cfg.seed());
    EnhancedTraining.WarmStarts warm = warmStarts(enhancer, p2rec, llmemb);
    LlmTrsrRanker.WarmStart rankerWarm = enhancer == Enhancer.LLM_TRSR && enhance.warmStart != null
        ? LlmTrsrRanker.WarmStart.of(RankerFiles.read(ArtifactReader.load(enhance.warmStart)), ranker, checkpoint)
        : null;
    EnhancedTraining.Outcome outcome =
        new EnhancedTraining(enhancer, p2rec, llmemb, checkpoint, enhance.cache(), threads)
            .ranker(ranker, rankerWarm)
            .run(dataset, new TrainingPipeline.Settings(cfg, options, validationUsers, tailThreshold), warm);
    TrainingPipeline.Result result = outcome.result();

    Map<String, Double> metrics = EnhancedArtifacts.metrics(outcome);
    Map<String, Object> config = EnhancedArtifacts.config(cfg, enhancer, checkpoint, tailThreshold);

    ArtifactStore store = new ArtifactStore(artifacts);
    String version = store.nextVersion(cfg.kind().id(), Instant.now());
    ArtifactWriter writer =
        store.writer(version, cfg.kind().id())
            .config(config)
            .weights(result.weights())
            .itemIds(dataset.itemIds())
            .trainingData(TrainingDataInfo.of(dataset, "leave-one-out training part of " + dataset.name()))
            .metrics(metrics);
    EnhancedArtifacts.attachFiles(writer, outcome, p2rec, llmemb, checkpoint, dataset);
    if (summaryCatalogue) org.lmrec.enhance.SummaryCatalogueFiles.attach(writer, dataset, result.weights(), checkpoint, enhance.cache(), threads);
    ModelArtifact artifact = writer.write();

    System.out.println();
    System.out.println(Reports.summary(dataset, result));
    if (outcome.trsr() != null) System.out.println(Reports.trsr(outcome.trsr(), cfg.kind().id()));
    System.out.println("model artifact: " + artifact.dir().toAbsolutePath());
    System.out.println("manifest sha256: " + artifact.manifestSha256());
    return 0;
  }

  private EnhancedTraining.WarmStarts warmStarts(Enhancer enhancer, P2RecConfig p2rec, LlmEmbConfig llmemb) {
    if (enhance.warmStart == null || enhancer == Enhancer.LLM_TRSR) return EnhancedTraining.WarmStarts.none();
    return switch (enhancer) {
      case P2REC -> new EnhancedTraining.WarmStarts(P2RecArtifactFiles.warmStart(ArtifactReader.load(enhance.warmStart), p2rec.lora()), null);
      case LLMEMB -> new EnhancedTraining.WarmStarts(null, LlmEmbArtifactFiles.warmStart(ArtifactReader.load(enhance.warmStart), llmemb.lora()));
      default -> throw new IllegalArgumentException("--warm-start only applies to --enhancer p2rec, llmemb or llm-trsr (got " + enhancer.id() + ")");
    };
  }
}
