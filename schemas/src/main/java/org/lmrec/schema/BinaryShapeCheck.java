package org.lmrec.schema;

import org.apache.avro.Schema;

/**
 * Walks Avro binary bytes against a schema without allocating anything, and rejects them unless they
 * are exactly one well-formed datum. Avro's own readers trust length prefixes and allocate
 * {@code byte[length]} or {@code ArrayList(count)} before noticing the data is short, so a few garbage
 * bytes can request gigabytes; running this first bounds every length and count by the bytes that
 * actually remain. Limitation: array/map items that encode to zero bytes (null, empty records) are
 * counted against the remaining bytes too, so huge arrays of them are rejected; no lmrec schema has such.
 */
final class BinaryShapeCheck {
  private final byte[] bytes;
  private int pos;

  private BinaryShapeCheck(byte[] bytes, int from) {
    this.bytes = bytes;
    this.pos = from;
  }

  /** Throws {@link IllegalArgumentException} naming the byte offset, field path and problem. */
  static void check(Schema schema, byte[] bytes) {
    check(schema, bytes, 0);
  }

  /**
   * Checks the datum that starts at {@code from} and ends with the array (after a single-object
   * header, for instance). Offsets in the message count from the start of the array.
   */
  static void check(Schema schema, byte[] bytes, int from) {
    BinaryShapeCheck walk = new BinaryShapeCheck(bytes, from);
    walk.datum(schema, schema.getName());
    if (walk.pos != bytes.length) {
      throw new IllegalArgumentException(
          (bytes.length - walk.pos) + " trailing bytes after a complete record of " + (walk.pos - from)
              + " bytes (written with a different schema?)");
    }
  }

  private void datum(Schema schema, String path) {
    switch (schema.getType()) {
      case NULL -> { }
      case BOOLEAN -> skip(1, path);
      case INT, LONG -> varLong(path);
      case FLOAT -> skip(4, path);
      case DOUBLE -> skip(8, path);
      case STRING, BYTES -> skip(length(path, "length"), path);
      case FIXED -> skip(schema.getFixedSize(), path);
      case ENUM -> index(schema.getEnumSymbols().size(), path, "enum symbol index");
      case UNION -> {
        int branch = index(schema.getTypes().size(), path, "union branch index");
        datum(schema.getTypes().get(branch), path);
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          datum(field.schema(), path + "." + field.name());
        }
      }
      case ARRAY -> blocks(schema.getElementType(), null, path + "[]");
      case MAP -> blocks(schema.getValueType(), Schema.create(Schema.Type.STRING), path + "{}");
    }
  }

  /** Array and map items come in blocks: count, [byte size if count is negative], items; count 0 ends. */
  private void blocks(Schema item, Schema key, String path) {
    while (true) {
      int at = pos;
      long count = varLong(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        length(path, "block byte size");
      }
      if (count > remaining()) {
        throw fail(at, path, "block count " + count + " exceeds the " + remaining() + " remaining bytes");
      }
      for (long i = 0; i < count; i++) {
        if (key != null) {
          datum(key, path);
        }
        datum(item, path);
      }
    }
  }

  private int length(String path, String what) {
    int at = pos;
    long length = varLong(path);
    if (length < 0 || length > remaining()) {
      throw fail(at, path, what + " " + length + " is negative or exceeds the " + remaining()
          + " remaining bytes");
    }
    return (int) length;
  }

  private int index(int size, String path, String what) {
    int at = pos;
    long index = varLong(path);
    if (index < 0 || index >= size) {
      throw fail(at, path, what + " " + index + " is outside 0.." + (size - 1));
    }
    return (int) index;
  }

  /** Zig-zag variable-length long, at most 10 bytes. */
  private long varLong(String path) {
    int at = pos;
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= bytes.length) {
        throw fail(at, path, "data ends inside a variable-length number");
      }
      int b = bytes[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw fail(at, path, "variable-length number longer than 10 bytes");
  }

  private void skip(int n, String path) {
    if (n > remaining()) {
      throw fail(pos, path, "needs " + n + " bytes but only " + remaining() + " remain");
    }
    pos += n;
  }

  private int remaining() {
    return bytes.length - pos;
  }

  private static IllegalArgumentException fail(int offset, String path, String problem) {
    return new IllegalArgumentException("at byte " + offset + " (" + path + "): " + problem);
  }
}
