package org.lmrec.bench.fuzz;

/** Record bytes shown on one line: printable ASCII as is, everything else as \xHH, cut to a length. */
final class Printable {
  private Printable() {}

  static String of(byte[] b, int max) {
    if (b == null) return "(null)";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.length && s.length() < max; i++) {
      int c = b[i] & 0xff;
      s.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return s.length() >= max || b.length > max ? s + "… (" + b.length + " bytes)" : s.toString();
  }
}
