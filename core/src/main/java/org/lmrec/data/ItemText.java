package org.lmrec.data;

import java.util.Map;

/** Builds the {@code key is value; ...} item text that METHODS.md prescribes for the LM. */
public final class ItemText {
  private ItemText() {}

  public static String of(Map<String, String> attributes, int maxValueChars) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String value = e.getValue();
      if (value == null || value.isBlank()) continue;
      value = value.strip().replaceAll("\\s+", " ");
      if (value.length() > maxValueChars) value = value.substring(0, maxValueChars);
      if (sb.length() > 0) sb.append("; ");
      sb.append(e.getKey()).append(" is ").append(value);
    }
    return sb.toString();
  }
}
