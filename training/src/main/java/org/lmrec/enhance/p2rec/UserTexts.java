package org.lmrec.enhance.p2rec;

import java.util.List;

/**
 * How P2Rec writes a user's history for the LM: the item texts in chronological order joined by
 * {@value #SEPARATOR}. A one-item history is exactly the item's own text, so the augmentation
 * stage's "virtual user" of one item reads the same way as fine-tuning inputs.
 */
public final class UserTexts {
  public static final String SEPARATOR = " | ";

  private UserTexts() {}

  /**
   * @param sequence item indices, oldest first
   * @param itemTexts text of every item index
   * @param maxItems only the most recent items are joined (the tokenizer keeps the end anyway;
   *     this only bounds the string built for very long histories)
   */
  public static String of(int[] sequence, List<String> itemTexts, int maxItems) {
    int from = Math.max(0, sequence.length - maxItems);
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < sequence.length; i++) {
      if (sb.length() > 0) sb.append(SEPARATOR);
      sb.append(itemTexts.get(sequence[i]));
    }
    return sb.toString();
  }
}
