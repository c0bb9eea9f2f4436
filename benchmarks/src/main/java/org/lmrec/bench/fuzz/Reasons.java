package org.lmrec.bench.fuzz;

/**
 * Groups dead-letter reasons: quoted values, numbers and the limits' bracketed notes are replaced,
 * so that "eventId 'a\u000a' contains ... at position 1" and the same with another id fall in one group.
 */
final class Reasons {
  private static final int MAX_CHARS = 110;

  private Reasons() {}

  static String normalise(String reason) {
    if (reason == null) return "(no reason)";
    String s = reason.replaceAll("\\[(payload|key|reason) cut[^\\]]*\\]", "[cut]")
        .replaceAll("'[^']*'", "'…'")
        .replaceAll("\"[^\"]*\"", "\"…\"")
        .replaceAll("(model|line) \\S+ (of line \\S+ )?at \\S+", "$1 … at …")
        .replaceAll("-?\\d+(\\.\\d+)?", "N")
        .replaceAll("[\\p{Cntrl}]", "?")
        .replaceAll("\\s+", " ");
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…";
  }
}
