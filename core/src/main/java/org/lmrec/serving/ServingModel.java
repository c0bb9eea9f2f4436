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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model ready to recommend, with no DJL or PyTorch: an encoder for histories, the item
 * catalogue, and the item-id mapping. This is what the streaming, replay and A/B operators hold.
 */
public final class ServingModel implements NextItemScorer {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  private final String version;
  private final ModelConfig config;
  private final SequenceEncoder encoder;
  private final ItemCatalogue catalogue;
  private final List<String> itemIds;
  private final Map<String, Integer> itemIndex;
  /** The approximate top-K's graph; null on the exact path (the default). */
  private final HnswItemIndex hnsw;

  public ServingModel(String version, ModelConfig config, TensorMap weights, List<String> itemIds) {
    this(version, config, weights, itemIds, TopKSearch.exact());
  }

  /** A model whose top-K runs as {@code search} says; {@link TopKSearch.Method#HNSW} builds the graph here, once. */
  public ServingModel(String version, ModelConfig config, TensorMap weights, List<String> itemIds, TopKSearch search) {
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
    this.hnsw = search.approximate() ? HnswItemIndex.build(table.data(), numItems, config.dim(), search.hnsw()) : null;
    if (hnsw != null) {
      LOG.info("model {}: HNSW graph over {} items built in {} ms ({} MB, {})", version, numItems,
          Math.round(hnsw.buildMillis()), hnsw.graphBytes() / 1_000_000, search.hnsw());
    }
  }

  /** Builds the serving model of a checked artifact; a config that does not fit its weights is refused. */
  public static ServingModel fromArtifact(LoadedArtifact artifact) {
    return fromArtifact(artifact, TopKSearch.exact());
  }

  /** As {@link #fromArtifact(LoadedArtifact)}, its top-K run as {@code search} says. */
  public static ServingModel fromArtifact(LoadedArtifact artifact, TopKSearch search) {
    ModelConfig config = ModelConfig.fromMap(artifact.manifest().config());
    try {
      return new ServingModel(artifact.manifest().version(), config, artifact.weights(), artifact.itemIds(), search);
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

  /** The HNSW index the top-K searches, or null when it scans the whole catalogue (exact). */
  public HnswItemIndex hnswIndex() {
    return hnsw;
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

  /**
   * The k best items after {@code history}, excluding items already in it: exact, or from the HNSW
   * index when the model has one. {@link #scoreAll} (evaluation) always scores every item.
   */
  public int[] recommend(int[] history, int k) {
    BitSet seen = new BitSet(numItems() + 1);
    for (int item : history) seen.set(item);
    if (hnsw != null) return hnsw.search(encoder.encodeBatch(new int[][] {history})[0], k, seen).items();
    float[] scores = scoreAll(new int[][] {history})[0];
    return TopK.select(scores, k, seen);
  }
}
