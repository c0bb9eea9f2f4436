package org.lmrec.serving;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * A loaded model ready to recommend, with no DJL or PyTorch: an encoder for histories, the item
 * catalogue, and the item-id mapping. This is what the streaming, replay and A/B operators hold.
 */
public final class ServingModel implements NextItemScorer {
  private final String version;
  private final ModelConfig config;
  private final SequenceEncoder encoder;
  private final ItemCatalogue catalogue;
  private final List<String> itemIds;
  private final Map<String, Integer> itemIndex;

  public ServingModel(String version, ModelConfig config, TensorMap weights, List<String> itemIds) {
    this.version = version;
    this.config = config;
    Tensor table = weights.get("item_embedding");
    int numItems = table.dim(0) - 1;
    if (itemIds.size() != numItems + 1) {
      throw new IllegalArgumentException(
          "model " + version + " has " + numItems + " item embeddings but " + (itemIds.size() - 1) + " item ids");
    }
    this.encoder = config.kind().backbone().servingEncoder(config, weights);
    this.catalogue = new ItemCatalogue(table.data(), numItems, config.dim());
    this.itemIds = itemIds;
    this.itemIndex = new HashMap<>(itemIds.size() * 2);
    for (int i = 1; i < itemIds.size(); i++) {
      if (itemIndex.put(itemIds.get(i), i) != null) {
        throw new IllegalArgumentException("model " + version + " lists item id '" + itemIds.get(i) + "' twice");
      }
    }
  }

  /** Builds the serving model of a checked artifact; a config that does not fit its weights is refused. */
  public static ServingModel fromArtifact(LoadedArtifact artifact) {
    ModelConfig config = ModelConfig.fromMap(artifact.manifest().config());
    try {
      return new ServingModel(artifact.manifest().version(), config, artifact.weights(), artifact.itemIds());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("artifact " + artifact.dir() + " is inconsistent: " + e.getMessage(), e);
    }
  }

  public String version() {
    return version;
  }

  public ModelConfig config() {
    return config;
  }

  public SequenceEncoder encoder() {
    return encoder;
  }

  public ItemCatalogue catalogue() {
    return catalogue;
  }

  public int numItems() {
    return catalogue.numItems();
  }

  /** Index of an external item id, or -1 when the model does not know the item. */
  public int itemIndex(String itemId) {
    Integer index = itemIndex.get(itemId);
    return index == null ? -1 : index;
  }

  /** External id of an item index. */
  public String itemId(int item) {
    return itemIds.get(item);
  }

  @Override
  public float[][] scoreAll(int[][] histories) {
    return catalogue.scores(encoder.encodeBatch(histories));
  }

  /** The k best items after {@code history}, excluding items already in it. */
  public int[] recommend(int[] history, int k) {
    float[] scores = scoreAll(new int[][] {history})[0];
    BitSet seen = new BitSet(numItems() + 1);
    for (int item : history) seen.set(item);
    return TopK.select(scores, k, seen);
  }
}
