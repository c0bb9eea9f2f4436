package org.lmrec.enhance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.lmrec.data.Dataset;

/**
 * The LM's view of every item: {@code key is value; ...} built from the item's attributes
 * (METHODS.md), indexed like the model (entry 0 is the padding item and stays empty). Items without
 * attributes fall back to their external id, so the LM still gets a distinct input.
 */
public final class ItemTexts {
  /** METHODS.md: each attribute value is cut to about 100 characters. */
  public static final int DEFAULT_MAX_VALUE_CHARS = 100;

  private ItemTexts() {}

  public static List<String> of(Dataset data, int maxValueChars) {
    List<String> texts = new ArrayList<>(data.numItems() + 1);
    texts.add("");
    for (int i = 1; i <= data.numItems(); i++) {
      String text = data.itemText(i, maxValueChars);
      texts.add(text == null || text.isBlank() ? "item is " + data.itemId(i) : text);
    }
    return Collections.unmodifiableList(texts);
  }

  /** How many items have real attribute text (not the id fallback). */
  public static int withAttributes(Dataset data) {
    int n = 0;
    for (int i = 1; i <= data.numItems(); i++) {
      if (!data.itemAttributes(i).isEmpty()) n++;
    }
    return n;
  }
}
