package org.lmrec.schema;

/**
 * The 10-byte header of Avro's single-object encoding: the marker {@code C3 01}, then the writer
 * schema's CRC-64-AVRO fingerprint as 8 little-endian bytes. Read here, before any Avro code, so a
 * refusal can say exactly what the header held.
 */
final class SingleObjectHeader {
  static final int LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private SingleObjectHeader() {}

  /** Whether the bytes start with the marker (the header may still be cut short). */
  static boolean hasMarker(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
  }

  /** The fingerprint of a complete header; call only when {@code bytes.length >= LENGTH}. */
  static long fingerprint(byte[] bytes) {
    long fingerprint = 0;
    for (int i = LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (bytes[i] & 0xffL);
    }
    return fingerprint;
  }

  /** The first bytes in hex, e.g. {@code de ad}, for a reason that says what came instead. */
  static String start(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(2, bytes.length); i++) {
      if (i > 0) s.append(' ');
      s.append(String.format("%02x", bytes[i] & 0xff));
    }
    return s.toString();
  }
}
