package org.lmrec.flink.deadletter;

/**
 * What an id or label from a record may be: 1 to {@code maxChars} characters that each print as
 * themselves. Refused: whitespace and other spaces (U+00A0), control and format characters
 * (U+200B, U+202E), lone surrogates, and U+FFFD, which Avro substitutes for malformed UTF-8, so two
 * different byte strings would otherwise become the same user. Ids that look alike in a log or a
 * UI but differ are how one user impersonates another.
 */
public final class Labels {
  private Labels() {}

  /** @return null when {@code value} is a valid label, else a sentence naming {@code field} */
  public static String problem(String field, String value, int maxChars) {
    if (value == null) return field + " is missing";
    if (value.isEmpty()) return field + " is empty";
    if (value.length() > maxChars) return field + " has " + value.length() + " characters (limit " + maxChars + ")";
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      String why = invisible(c);
      if (why != null) return field + " '" + LogSafe.text(value, 64) + "' contains " + why + " at position " + i;
      i += Character.charCount(c);
    }
    return null;
  }

  /** @return null when {@code value} holds no control, format or replacement character and fits {@code maxChars} */
  public static String textProblem(String field, String value, int maxChars) {
    if (value == null) return field + " is missing";
    if (value.length() > maxChars) return field + " has " + value.length() + " characters (limit " + maxChars + ")";
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      String why = Character.isSpaceChar(c) ? null : invisible(c); // spaces are fine inside free text
      if (why != null) return field + " '" + LogSafe.text(value, 64) + "' contains " + why + " at position " + i;
      i += Character.charCount(c);
    }
    return null;
  }

  private static String invisible(int c) {
    if (c == 0xFFFD) return "U+FFFD (malformed UTF-8)";
    if (Character.getType(c) == Character.CONTROL) return "a control character";
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) return "whitespace";
    switch (Character.getType(c)) {
      case Character.FORMAT: return "a format character (U+" + String.format("%04X", c) + ")";
      case Character.SURROGATE: return "a lone surrogate";
      case Character.UNASSIGNED: return "an unassigned code point";
      default: return null;
    }
  }
}
