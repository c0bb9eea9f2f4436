package org.lmrec.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Recommends for a micro-batch of histories given as external item ids: maps ids to the model's
 * indices (unknown ids are skipped and counted), encodes all histories together
 * ({@link SequenceEncoder#encodeBatch}), scores the whole batch against the full catalogue in one
 * product, and keeps the top K unseen items of each; when the model has an HNSW index
 * ({@link ServingModel#hnswIndex}) each user's top K is searched there instead, with no product.
 * The streaming and replay operators call this; it holds no Flink types. Not thread-safe (it reuses
 * buffers); use one instance per operator.
 */
public final class BatchRecommender {
  private final ServingModel model;
  private final int k;
  /** Score rows reused across batches: a 100k-item catalogue would otherwise allocate 400 KB per user per batch. */
  private float[][] scoreRows = new float[0][];
  private final BitSet seen;

  public BatchRecommender(ServingModel model, int k) {
    if (k <= 0) throw new IllegalArgumentException("k must be positive, got " + k);
    this.model = model;
    this.k = k;
    this.seen = new BitSet(model.numItems() + 1);
  }

  public ServingModel model() {
    return model;
  }

  /**
   * @param histories each history oldest first; may contain ids unknown to the model, may be empty
   * @return one answer per history, in order; empty lists for histories with no known item
   */
  public List<RankedItems> recommend(List<String[]> histories) {
    int n = histories.size();
    int[][] indexed = new int[n][];
    int[] unknown = new int[n];
    int[] userRow = new int[n];
    int[][] windows = new int[n][];
    int count = 0;
    for (int i = 0; i < n; i++) {
      indexed[i] = toIndices(histories.get(i), unknown, i);
      if (indexed[i].length == 0) {
        userRow[i] = -1;
      } else {
        userRow[i] = count;
        windows[count++] = lastWindow(indexed[i]);
      }
    }
    float[][] users = model.encoder().encodeBatch(count == n ? windows : Arrays.copyOf(windows, count));
    HnswItemIndex hnsw = model.hnswIndex();
    float[][] scores = hnsw == null ? scoreRows(count) : null;
    if (count > 0 && hnsw == null) model.catalogue().scores(users, count, scores);
    List<RankedItems> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (userRow[i] < 0) {
        out.add(new RankedItems(new String[0], new float[0], unknown[i]));
        continue;
      }
      for (int item : indexed[i]) seen.set(item);
      int[] top;
      float[] topScores;
      if (hnsw == null) {
        float[] row = scores[userRow[i]];
        top = TopK.select(row, k, seen);
        topScores = new float[top.length];
        for (int j = 0; j < top.length; j++) topScores[j] = row[top[j]];
      } else {
        HnswItemIndex.Hits hits = hnsw.search(users[userRow[i]], k, seen);
        top = hits.items();
        topScores = hits.scores();
      }
      for (int item : indexed[i]) seen.clear(item);
      String[] ids = new String[top.length];
      for (int j = 0; j < top.length; j++) ids[j] = model.itemId(top[j]);
      out.add(new RankedItems(ids, topScores, unknown[i]));
    }
    return out;
  }

  private float[][] scoreRows(int count) {
    if (scoreRows.length < count) {
      float[][] grown = Arrays.copyOf(scoreRows, Math.max(count, scoreRows.length * 2));
      for (int i = scoreRows.length; i < grown.length; i++) grown[i] = new float[model.numItems() + 1];
      scoreRows = grown;
    }
    return scoreRows;
  }

  private int[] toIndices(String[] history, int[] unknown, int row) {
    int[] indices = new int[history.length];
    int known = 0;
    for (String id : history) {
      int index = model.itemIndex(id);
      if (index < 0) unknown[row]++;
      else indices[known++] = index;
    }
    return known == indices.length ? indices : Arrays.copyOf(indices, known);
  }

  /** The encoder reads at most maxLen items; passing the window keeps its work bounded. */
  private int[] lastWindow(int[] history) {
    int maxLen = model.encoder().maxLen();
    return history.length <= maxLen ? history : Arrays.copyOfRange(history, history.length - maxLen, history.length);
  }
}
