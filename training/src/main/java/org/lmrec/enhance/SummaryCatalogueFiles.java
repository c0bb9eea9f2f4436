package org.lmrec.enhance;

import java.util.ArrayList;
import java.util.List;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.data.Dataset;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the summary catalogue (core {@link SummaryCatalogue}) to an artifact, so the streaming
 * job can summarise users without the dataset: each item's title, attributes and an embedding.
 * The embedding is the frozen LM's when the run used an LM (cached in the item-embedding store),
 * else the trained model's own item table, which costs nothing; the catalogue names which.
 */
public final class SummaryCatalogueFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SummaryCatalogueFiles.class);

  private SummaryCatalogueFiles() {}

  /** @return whether a catalogue was attached: only when some item has attributes (text to summarise) */
  public static boolean attach(ArtifactWriter writer, Dataset data, TensorMap weights, LmCheckpoint checkpoint, StageCache cache, int threads) {
    if (ItemTexts.withAttributes(data) == 0) return false;
    Tensor table;
    String name;
    if (checkpoint != null) {
      table = ItemEmbedder.frozen(cache, checkpoint, ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS), 64, threads);
      name = "lm:" + checkpoint.name();
    } else if (weights.contains("item_embedding")) {
      table = weights.get("item_embedding");
      name = "model:item_embedding";
    } else {
      LOG.warn("no summary catalogue: the run used no LM and the model has no item_embedding table");
      return false;
    }
    int dim = table.dim(1);
    List<SummaryCatalogue.Entry> entries = new ArrayList<>(data.numItems());
    for (int i = 1; i <= data.numItems(); i++) {
      float[] row = new float[dim];
      System.arraycopy(table.data(), i * dim, row, 0, dim);
      java.util.Map<String, String> attributes = new java.util.TreeMap<>(data.itemAttributes(i));
      String title = attributes.remove("title");
      entries.add(new SummaryCatalogue.Entry(data.itemId(i), title != null ? title : data.itemId(i), attributes, row));
    }
    SummaryCatalogue.toFiles(entries, dim, name).forEach(writer::extraFile);
    return true;
  }
}
