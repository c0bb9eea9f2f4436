package org.lmrec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactStore;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.data.Dataset;
import org.lmrec.enhance.EnhancedArtifacts;
import org.lmrec.train.ServedModelTest;
import org.lmrec.serving.ServingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a model artifact on the leave-one-out test split of a dataset.",
      "Uses the pure-Java serving scorer (the one the streaming job uses): HR/NDCG@10,20 by full ranking",
      "and by 1 positive + 100 sampled negatives."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();

  @Option(names = "--artifact", paramLabel = "DIR", description = "A model version directory. Default: the newest in --artifacts.")
  Path artifact;

  @Option(names = "--artifacts", paramLabel = "DIR", description = "Artifact root searched when --artifact is absent (default: ${DEFAULT-VALUE}).")
  Path artifacts = Path.of("runs", "artifacts");

  @Option(names = "--model", description = "Model kind searched when --artifact is absent (default: ${DEFAULT-VALUE}).")
  String kind = "sasrec";

  @Option(names = "--seed", description = "Seed of the sampled negatives (default: the one the model's stored test used, from its manifest).")
  Long seed;

  @Option(names = "--tail-threshold", description = "Items with fewer training users are 'tail' (default: the model's stored test's, else the 80%% least popular).")
  Integer tailThreshold;

  @Override
  public Integer call() {
    Path dir = artifact;
    if (dir == null) {
      ModelArtifact latest =
          new ArtifactStore(artifacts)
              .latest(kind)
              .orElseThrow(() -> new IllegalArgumentException("no " + kind + " artifact under " + artifacts.toAbsolutePath() + "; run 'lmrec train' first"));
      dir = latest.dir();
    }
    LoadedArtifact loaded = ArtifactReader.load(dir);
    ServingModel model = ServingModel.fromArtifact(loaded);
    Dataset dataset = data.load();
    Dataset aligned = alignToModel(dataset, loaded.itemIds());
    ServedModelTest.Result result = evaluate(loaded, model, aligned, seed, tailThreshold);
    System.out.println("model " + loaded.manifest().version() + " (" + loaded.manifest().modelKind() + ") from " + dir.toAbsolutePath());
    System.out.println(aligned.summary());
    System.out.print(Reports.results(result));
    return 0;
  }

  /**
   * The artifact's test, repeated: by default with the seed and tail threshold its manifest says
   * the stored numbers used, so that an unchanged dataset gives exactly the stored metrics.
   */
  static ServedModelTest.Result evaluate(LoadedArtifact loaded, ServingModel model, Dataset aligned, Long seed, Integer tailThreshold) {
    Map<String, Object> config = loaded.manifest().config();
    long sampledSeed = seed != null ? seed : storedSeed(config);
    Integer threshold = tailThreshold != null ? tailThreshold
        : config.get(EnhancedArtifacts.TAIL_THRESHOLD) instanceof Number n ? n.intValue() : null;
    return ServedModelTest.of(model, aligned, sampledSeed, threshold);
  }

  /** The evaluation seed of the manifest; artifacts written before it was recorded sampled with the model seed. */
  private static long storedSeed(Map<String, Object> config) {
    for (String key : new String[] {EnhancedArtifacts.EVALUATION_SEED, "seed"}) {
      Object v = config.get(key);
      if (v instanceof Number n) return n.longValue();
      if (v != null) return Long.parseLong(v.toString());
    }
    return org.lmrec.model.ModelConfig.defaults(org.lmrec.model.ModelKind.SASREC).seed();
  }

  /**
   * Re-indexes the dataset's items into the model's item indices (by external id). Interactions
   * with items the model does not know are dropped and counted, never silently.
   */
  static Dataset alignToModel(Dataset d, List<String> modelItemIds) {
    if (d.itemIds().equals(modelItemIds)) return d;
    Map<String, Integer> index = new HashMap<>();
    for (int i = 1; i < modelItemIds.size(); i++) index.put(modelItemIds.get(i), i);
    List<java.util.Map<String, String>> attrs = new ArrayList<>();
    attrs.add(Map.of());
    for (int i = 1; i < modelItemIds.size(); i++) attrs.add(Map.of());
    int[][] seqs = new int[d.numUsers()][];
    long dropped = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      int[] s = d.sequence(u);
      int[] mapped = new int[s.length];
      int n = 0;
      for (int item : s) {
        Integer m = index.get(d.itemId(item));
        if (m == null) dropped++;
        else mapped[n++] = m;
      }
      seqs[u] = java.util.Arrays.copyOf(mapped, n);
    }
    if (dropped > 0) {
      System.err.printf("warning: %,d interactions are with items the model does not know; they were left out%n", dropped);
    }
    return new Dataset(d.name(), d.userIds(), modelItemIds, attrs, seqs, null);
  }
}
