package org.lmrec.serving;

/**
 * The top-K answer for one history: external item ids best first with their scores, and how many
 * history items the model did not know (they were skipped, not scored).
 */
public record RankedItems(String[] itemIds, float[] scores, int unknownItems) {
  public RankedItems {
    if (itemIds.length != scores.length) {
      throw new IllegalArgumentException(itemIds.length + " item ids but " + scores.length + " scores");
    }
  }

  public int size() {
    return itemIds.length;
  }
}
