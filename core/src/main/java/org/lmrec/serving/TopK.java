package org.lmrec.serving;

import java.util.BitSet;

/** Selects the k best-scoring items with a bounded min-heap: O(n log k), no full sort. */
public final class TopK {
  private TopK() {}

  /**
   * @param scores scores indexed by item (index 0 ignored)
   * @param excluded items never to return (e.g. already seen); may be null
   * @return item indices, best first; ties go to the smaller index, for determinism
   */
  public static int[] select(float[] scores, int k, BitSet excluded) {
    if (k <= 0) return new int[0];
    int[] heapItems = new int[k];
    float[] heapScores = new float[k];
    int size = 0;
    int item = 1;
    for (; item < scores.length && size < k; item++) {
      float s = scores[item];
      if (Float.isNaN(s)) throw nan(item);
      if (excluded != null && excluded.get(item)) continue;
      heapItems[size] = item;
      heapScores[size] = s;
      siftUp(heapItems, heapScores, size++);
    }
    // Items come in increasing index order, so a later item ties the minimum without beating it:
    // only strictly higher scores enter, which keeps "ties go to the smaller index".
    while ((item = ThresholdScan.next(scores, item, heapScores[0])) < scores.length) {
      float s = scores[item];
      if (Float.isNaN(s)) throw nan(item);
      if (excluded == null || !excluded.get(item)) {
        heapItems[0] = item;
        heapScores[0] = s;
        siftDown(heapItems, heapScores, size);
      }
      item++;
    }
    int[] result = new int[size];
    for (int i = size - 1; i >= 0; i--) {
      result[i] = heapItems[0];
      heapItems[0] = heapItems[i];
      heapScores[0] = heapScores[i];
      siftDown(heapItems, heapScores, i);
    }
    return result;
  }

  private static IllegalArgumentException nan(int item) {
    return new IllegalArgumentException("score of item " + item + " is NaN");
  }

  private static boolean better(float s1, int i1, float s2, int i2) {
    return s1 > s2 || (s1 == s2 && i1 < i2);
  }

  private static void siftUp(int[] items, float[] scores, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!better(scores[parent], items[parent], scores[i], items[i])) break;
      swap(items, scores, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] items, float[] scores, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int worst = i;
      if (l < size && better(scores[worst], items[worst], scores[l], items[l])) worst = l;
      if (r < size && better(scores[worst], items[worst], scores[r], items[r])) worst = r;
      if (worst == i) return;
      swap(items, scores, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] items, float[] scores, int a, int b) {
    int ti = items[a];
    items[a] = items[b];
    items[b] = ti;
    float ts = scores[a];
    scores[a] = scores[b];
    scores[b] = ts;
  }
}
