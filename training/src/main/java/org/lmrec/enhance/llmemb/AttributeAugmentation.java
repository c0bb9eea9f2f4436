package org.lmrec.enhance.llmemb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * LLMEmb's attribute-level augmentation (METHODS.md §2): an item text {@code key is value; ...} is
 * split on {@code ;} into attributes; each of two views is an independent shuffle that drops a
 * share of the attributes (40% by default), keeping at least one. The two views of one item are a
 * positive pair for the contrastive fine-tuning.
 */
public final class AttributeAugmentation {
  public static final double DEFAULT_DROP_SHARE = 0.4;

  private final double dropShare;

  public AttributeAugmentation(double dropShare) {
    if (dropShare < 0 || dropShare >= 1) throw new IllegalArgumentException("drop share must be in [0, 1), got " + dropShare);
    this.dropShare = dropShare;
  }

  /** The two views of one item text, drawn from {@code random} (seed it for reproducible batches). */
  public List<String> views(String itemText, Random random) {
    List<String> attributes = attributes(itemText);
    return List.of(view(attributes, random), view(attributes, random));
  }

  static List<String> attributes(String itemText) {
    List<String> out = new ArrayList<>();
    for (String part : itemText.split(";")) {
      String a = part.strip();
      if (!a.isEmpty()) out.add(a);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("item text has no attributes: '" + itemText + "'");
    return out;
  }

  /** How many attributes a view keeps out of {@code n}. */
  int kept(int n) {
    return Math.max(1, n - (int) Math.round(dropShare * n));
  }

  private String view(List<String> attributes, Random random) {
    List<String> shuffled = new ArrayList<>(attributes);
    Collections.shuffle(shuffled, random);
    return String.join("; ", shuffled.subList(0, kept(attributes.size())));
  }
}
