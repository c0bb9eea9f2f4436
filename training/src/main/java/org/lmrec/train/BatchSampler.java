package org.lmrec.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lmrec.model.TrainingBatch;

/**
 * Cuts training sequences into batches for next-item prediction at every position: the input is
 * the sequence without its last item, the target the sequence shifted by one. Sequences longer
 * than maxLen keep their newest items. Users are shuffled each epoch and negatives drawn from
 * items the user never interacted with, both from one seeded generator.
 */
public final class BatchSampler {
  private final int[][] sequences;
  private final int numItems;
  private final int maxLen;
  private final int batchSize;
  private final boolean padLeft;
  private final boolean sampleNegatives;
  private final Random random;
  private final int[] trainable; // users with at least two items (one input, one target)

  public BatchSampler(
      int[][] sequences, int numItems, int maxLen, int batchSize, boolean padLeft, boolean sampleNegatives, long seed) {
    this.sequences = sequences;
    this.numItems = numItems;
    this.maxLen = maxLen;
    this.batchSize = batchSize;
    this.padLeft = padLeft;
    this.sampleNegatives = sampleNegatives;
    this.random = new Random(seed);
    this.trainable = java.util.stream.IntStream.range(0, sequences.length).filter(u -> sequences[u].length >= 2).toArray();
    if (trainable.length == 0) throw new IllegalArgumentException("no user has two or more training interactions");
  }

  public int numSequences() {
    return trainable.length;
  }

  public int batchesPerEpoch() {
    return (trainable.length + batchSize - 1) / batchSize;
  }

  /** The batches of one epoch, in a fresh shuffled order. */
  public List<TrainingBatch> epoch() {
    int[] order = trainable.clone();
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    List<TrainingBatch> batches = new ArrayList<>(batchesPerEpoch());
    for (int start = 0; start < order.length; start += batchSize) {
      int n = Math.min(batchSize, order.length - start);
      int[][] in = new int[n][maxLen];
      int[][] tg = new int[n][maxLen];
      int[][] ng = sampleNegatives ? new int[n][maxLen] : null;
      for (int r = 0; r < n; r++) fill(sequences[order[start + r]], in[r], tg[r], ng == null ? null : ng[r]);
      batches.add(new TrainingBatch(in, tg, ng));
    }
    return batches;
  }

  private void fill(int[] seq, int[] in, int[] tg, int[] ng) {
    int pairs = Math.min(seq.length - 1, maxLen);
    int first = seq.length - 1 - pairs; // index of the first input item used
    int offset = padLeft ? maxLen - pairs : 0;
    java.util.BitSet seen = ng == null ? null : seen(seq);
    boolean sawEverything = seen != null && seen.cardinality() >= numItems;
    for (int j = 0; j < pairs; j++) {
      in[offset + j] = seq[first + j];
      tg[offset + j] = seq[first + j + 1];
      if (ng != null) ng[offset + j] = sawEverything ? 1 + random.nextInt(numItems) : negative(seen);
    }
  }

  private java.util.BitSet seen(int[] seq) {
    java.util.BitSet s = new java.util.BitSet(numItems + 1);
    for (int i : seq) s.set(i);
    return s;
  }

  private int negative(java.util.BitSet seen) {
    int item;
    do {
      item = 1 + random.nextInt(numItems);
    } while (seen.get(item));
    return item;
  }
}
