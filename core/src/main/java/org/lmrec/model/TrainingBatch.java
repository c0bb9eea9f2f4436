package org.lmrec.model;

/**
 * One training batch in the layout every backbone reads: {@code inputs[b][t]} is the item seen at
 * step t, {@code targets[b][t]} the item that followed it (0 where there is none), and
 * {@code negatives[b][t]} one sampled item the user never saw (only read by the BCE loss). Rows are
 * padded with 0 on the left (right-aligned, SASRec) or on the right (left-aligned, GRU4Rec).
 */
public record TrainingBatch(int[][] inputs, int[][] targets, int[][] negatives) {
  public int size() {
    return inputs.length;
  }

  public int length() {
    return inputs.length == 0 ? 0 : inputs[0].length;
  }
}
