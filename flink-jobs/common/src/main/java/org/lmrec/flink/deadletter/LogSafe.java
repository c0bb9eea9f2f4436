package org.lmrec.flink.deadletter;

/**
 * Text from a record made safe to write into a log line or a dead-letter reason: control
 * characters, line and paragraph separators and bidirectional overrides become visible escapes
 * ({@code \n}, {@code \u202E}), so a sender cannot forge log lines or hide text from whoever reads
 * them (CWE-117), and long values are cut.
 */
public final class LogSafe {
  /** Longest quoted value; a reason or log line is about the value, not a copy of it. */
  public static final int MAX_CHARS = 512;

  private LogSafe() {}

  public static String text(String s) {
    return text(s, MAX_CHARS);
  }

  public static String text(String s, int maxChars) {
    if (s == null) return "null";
    StringBuilder out = null;
    int n = Math.min(s.length(), maxChars);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String escape = escape(c);
      if (escape != null && out == null) out = new StringBuilder(n + 16).append(s, 0, i);
      if (out != null) {
        if (escape != null) out.append(escape);
        else out.append(c);
      }
    }
    String kept = out == null ? s.substring(0, n) : out.toString();
    return n < s.length() ? kept + "… [" + s.length() + " characters]" : kept;
  }

  /** Whether {@code s} holds a character that {@link #text} would escape. */
  public static boolean needsEscape(String s) {
    for (int i = 0; i < s.length(); i++) if (escape(s.charAt(i)) != null) return true;
    return false;
  }

  private static String escape(char c) {
    switch (c) {
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      default:
        boolean invisible = Character.isISOControl(c)
            || c == '\u2028' || c == '\u2029' // line and paragraph separators
            || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') // bidi embeddings, overrides, isolates
            || c == '\u200E' || c == '\u200F' || c == '\u061C'; // bidi marks
        return invisible ? String.format("\\u%04X", (int) c) : null;
    }
  }
}
