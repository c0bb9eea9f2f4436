package org.lmrec.stream.rerank;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraTarget;
import org.lmrec.lm.LoraWeights;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.stream.TestModels;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;
import org.lmrec.tensor.Tensor;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.SummaryMode;
import org.lmrec.trsr.YesNoHead;

/**
 * Model artifacts for re-rank tests: a seeded, untrained SASRec (as {@link TestModels}) with a
 * summary catalogue (titles, brand and categories, seeded 4-d embeddings) and, optionally, an
 * LLM-TRSR ranker written from seeded weights through {@link RankerFiles}: LoRA of rank 2 on every layer's
 * query projection of the real all-MiniLM-L6-v2, and a random yes/no head.
 */
public final class RankerModels {
  public static final int DIM = 4;
  private static final int LAYERS = 6; // all-MiniLM-L6-v2
  public static final List<String> FACETS = List.of("brand", "categories");
  private static final String[] BRANDS = {"Acme", "Globex", "Initech", "Umbrella"};
  private static final String[] CATEGORIES = {"Garden", "Office", "Kitchen"};

  private RankerModels() {}

  public static Map<String, String> attributes(int item) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("brand", BRANDS[item % BRANDS.length]);
    a.put("categories", CATEGORIES[item % CATEGORIES.length]);
    a.put("colour", item % 2 == 0 ? "red" : "blue"); // not a prompt facet: left out of the prompt
    return a;
  }

  public static String title(int item) {
    return "Product number " + item + " " + (item % 2 == 0 ? "lamp" : "kettle");
  }

  public static float[] embedding(int item) {
    Random r = new Random(1000 + item);
    float[] e = new float[DIM];
    for (int d = 0; d < DIM; d++) e[d] = (float) r.nextGaussian();
    return e;
  }

  /** An item as the spec shows it, built from the fixture's own data (not from the catalogue). */
  public static SummaryItem item(RankerSpec spec, int item) {
    Map<String, String> a = new LinkedHashMap<>(attributes(item));
    a.put("title", title(item));
    return spec.item(TestModels.itemId(item), a, embedding(item));
  }

  public static ExtractiveSummariser summariser() {
    return new ExtractiveSummariser(new ExtractiveSummariser.Options(FACETS, 3, 3, 48, 0.8));
  }

  public static RankerSpec spec(LmCheckpoint checkpoint, LoraConfig lora) {
    return new RankerSpec(RankerSpec.FORMAT_VERSION, checkpoint.name(), checkpoint.sha256(), 384, lora.toJsonMap(), SummaryMode.RECURRENT, 5, 5,
        summariser().version(), 3, FACETS, 50, 128);
  }

  public static LoraConfig lora() {
    return new LoraConfig(2, 4f, 0f, java.util.EnumSet.of(LoraTarget.QUERY), 5L);
  }

  /** The stored ranker of {@code seed}. */
  public static RankerFiles.Stored ranker(LmCheckpoint checkpoint, long seed) {
    Random r = new Random(seed);
    Map<String, Tensor> t = new LinkedHashMap<>();
    for (int layer = 0; layer < LAYERS; layer++) {
      t.put(LoraWeights.tensorName(layer, LoraTarget.QUERY, true), gaussian(r, 0.05f, 384, 2));
      t.put(LoraWeights.tensorName(layer, LoraTarget.QUERY, false), gaussian(r, 0.05f, 2, 384));
    }
    LoraWeights lora = new LoraWeights(lora(), LAYERS, t);
    YesNoHead head = YesNoHead.of(gaussian(r, 0.5f, 385, 2));
    return new RankerFiles.Stored(spec(checkpoint, lora()), lora.toTensorMap(), head);
  }

  private static Tensor gaussian(Random r, float scale, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * scale;
    return new Tensor(v, rows, cols);
  }

  /** A SASRec artifact of {@code numItems} items with a summary catalogue, and the ranker when {@code ranker} is not null. */
  public static ModelArtifact write(Path root, String version, int numItems, long seed, RankerFiles.Stored ranker) {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withBlocks(1).withHeads(1).withMaxLen(20).withSeed(seed);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    List<SummaryCatalogue.Entry> entries = new ArrayList<>();
    for (int i = 1; i <= numItems; i++) {
      ids.add(TestModels.itemId(i));
      entries.add(new SummaryCatalogue.Entry(TestModels.itemId(i), title(i), attributes(i), embedding(i)));
    }
    try (SequentialModel model = SequentialModels.create(cfg, numItems, null)) {
      ArtifactWriter w = ArtifactWriter.builder(root, version, ModelKind.SASREC.id()).config(cfg.toMap()).weights(model.exportWeights()).itemIds(ids)
          .trainingData(new TrainingDataInfo("untrained test model", 0, numItems, 0, null, null, "test")).metrics(Map.of());
      SummaryCatalogue.toFiles(entries, DIM, "test:seeded").forEach(w::extraFile);
      if (ranker != null) {
        RankerFiles.attach(w, ranker.spec(), ranker.lora(), ranker.head());
      }
      return w.write();
    }
  }

}
