package org.lmrec.stream.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;
import org.lmrec.enhance.SummaryCatalogueFiles;
import org.lmrec.enhance.trsr.RankerConfig;
import org.lmrec.enhance.trsr.RankerInputs;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.ServedPrompts;

/**
 * The stream's prompts equal training's: the same dataset through training's {@link RankerInputs}
 * and, as an artifact's summary catalogue written by {@code lmrec train}'s own
 * {@link SummaryCatalogueFiles}, through core's {@link ServedPrompts}, for every history prefix and
 * several candidates, with the default ranker settings (recurrent profile, 3 recent items, facets).
 */
class ServedPromptsParityTest {
  @TempDir Path root;

  @Test
  void servedPromptsEqualTrainingPromptsForEveryPrefix() {
    SplittableRandom r = new SplittableRandom(17);
    DatasetBuilder b = new DatasetBuilder("parity");
    String[] categories = {"Skin Care", "Hair", "Tools", "Fragrance"};
    for (int i = 1; i <= 30; i++) {
      Map<String, String> a = new LinkedHashMap<>();
      if (i % 7 != 0) a.put("title", "Product " + i + " with a rather long name that the prompt cuts at fifty characters");
      a.put("brand", "Brand" + r.nextInt(5));
      a.put(i % 2 == 0 ? "categories" : "category", categories[r.nextInt(categories.length)]);
      a.put("description", "not a prompt facet " + i);
      b.itemAttributes("p" + i, a);
    }
    for (int u = 0; u < 3; u++) for (int k = 0; k < 14; k++) b.interaction("u" + u, "p" + (1 + r.nextInt(30)), 1000L * (u * 100 + k));
    Dataset data = b.build();
    int n = data.numItems();
    int dim = 8;
    float[] rows = new float[(n + 1) * dim];
    for (int i = dim; i < rows.length; i++) rows[i] = (float) r.nextGaussian();
    Tensor table = new Tensor(rows, n + 1, dim);

    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= n; i++) ids.add(data.itemId(i));
    ArtifactWriter w = ArtifactWriter.builder(root, "parity", "sasrec").config(Map.of("numItems", n, "d", dim))
        .weights(new TensorMap().put("item_embedding", table)).itemIds(ids)
        .trainingData(new TrainingDataInfo("parity", 0, n, 0, null, null, "test"));
    assertThat(SummaryCatalogueFiles.attach(w, data, new TensorMap().put("item_embedding", table), null, null, 1)).isTrue();
    ModelArtifact artifact = w.write();

    RankerConfig config = RankerConfig.defaults();
    RankerInputs offline = new RankerInputs(data, table, config);
    RankerSpec spec = config.spec("any", "0".repeat(64), 384, offline.summariserVersion());
    ServedPrompts served = new ServedPrompts(spec, SummaryCatalogue.read(artifact.dir(), SummaryCatalogue.Limits.defaults()));

    int compared = 0;
    int withProfile = 0;
    for (int u = 0; u < 3; u++) {
      int[] history = new int[14];
      for (int k = 0; k < history.length; k++) history[k] = 1 + r.nextInt(n);
      for (int length = 1; length <= history.length; length++) {
        String[] ids0 = new String[length];
        for (int k = 0; k < length; k++) ids0[k] = data.itemId(history[k]);
        List<Integer> candidates = List.of(1 + r.nextInt(n), 1 + r.nextInt(n), 7); // p7 has no title
        String summary = offline.summary(history, length);
        if (!summary.isEmpty()) withProfile++;
        ServedPrompts.Prompts p = served.prompts(ids0, candidates.stream().map(data::itemId).toList());
        for (int c = 0; c < candidates.size(); c++) {
          RankerInputs.Prompt expected = offline.prompt(summary, history, length, candidates.get(c));
          assertThat(p.contexts().get(c)).isEqualTo(expected.context());
          assertThat(p.items().get(c)).isEqualTo(expected.items());
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(3 * 14 * 3);
    assertThat(withProfile).as("prefixes with a complete block carry a profile line").isGreaterThan(20);
  }
}
