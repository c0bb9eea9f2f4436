package org.lmrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraTarget;
import org.lmrec.lm.LoraWeights;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.tensor.Tensor;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.YesNoHead;

/**
 * An untrained model artifact with what the in-stream re-rank reads: a summary catalogue (seeded
 * titles, categories, brands, 64-d embeddings) and an LLM-TRSR ranker of seeded weights on
 * all-MiniLM-L6-v2 with {@link RankerConfig#defaults()}'s prompt settings and LoRA shape. Its
 * order is meaningless; its cost per prompt is a trained ranker's (same LM, same prompt budget).
 */
final class RerankArtifacts {
  private static final String[] CATEGORIES = {"Pens", "Paper", "Desks", "Lamps", "Chairs", "Ink", "Folders", "Tape"};

  private RerankArtifacts() {}

  static ModelArtifact write(Path root, String version, ModelConfig cfg, int items, LmCheckpoint checkpoint, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    List<SummaryCatalogue.Entry> entries = new ArrayList<>(items);
    for (int i = 1; i <= items; i++) {
      float[] e = new float[64];
      for (int d = 0; d < e.length; d++) e[d] = (float) r.nextGaussian();
      ids.add("i" + i);
      entries.add(new SummaryCatalogue.Entry("i" + i, "Item " + i + " " + CATEGORIES[i % 8].toLowerCase(Locale.ROOT) + " for the home office",
          Map.of("categories", CATEGORIES[r.nextInt(8)], "brand", "Brand" + r.nextInt(40)), e));
    }
    RankerConfig config = RankerConfig.defaults();
    ExtractiveSummariser.Options d = ExtractiveSummariser.Options.defaults();
    String summariser = new ExtractiveSummariser(
        new ExtractiveSummariser.Options(config.facets(), d.titles(), d.valuesPerFacet(), config.summaryTokens(), d.recency())).version();
    RankerSpec spec = config.spec(checkpoint.name(), checkpoint.sha256(), 384, summariser);
    LoraConfig lora = config.lora();
    Map<String, Tensor> t = new LinkedHashMap<>();
    for (int layer = 0; layer < 6; layer++) {
      for (LoraTarget target : lora.orderedTargets()) {
        t.put(LoraWeights.tensorName(layer, target, true), gaussian(r, 0.02f, 384, lora.rank()));
        t.put(LoraWeights.tensorName(layer, target, false), gaussian(r, 0.02f, lora.rank(), 384));
      }
    }
    try (SequentialModel m = SequentialModels.create(cfg, items, null)) {
      ArtifactWriter w = ArtifactWriter.builder(root, version, cfg.kind().id()).config(cfg.toMap()).weights(m.exportWeights()).itemIds(ids)
          .trainingData(new TrainingDataInfo("untrained benchmark model with a seeded ranker", 0, items, 0, null, null, "benchmark"));
      SummaryCatalogue.toFiles(entries, 64, "bench:random").forEach(w::extraFile);
      RankerFiles.attach(w, spec, new LoraWeights(lora, 6, t).toTensorMap(), YesNoHead.of(gaussian(r, 0.5f, 385, 2)));
      return w.write();
    }
  }

  private static Tensor gaussian(SplittableRandom r, float scale, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * scale;
    return new Tensor(v, rows, cols);
  }
}
