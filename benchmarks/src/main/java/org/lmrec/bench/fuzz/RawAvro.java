package org.lmrec.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes Avro binary field by field with nothing checked, so a body can declare what no schema-aware
 * writer would: a string of Long.MAX_VALUE bytes, a negative length, an enum or union index out of
 * range, invalid UTF-8. Declared lengths are written as Avro writes them (zig-zag varints).
 */
final class RawAvro {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);

  RawAvro string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A string or bytes field: its length, then the bytes as given (invalid UTF-8 included). */
  RawAvro bytes(byte[] b) {
    return varLong(b.length).rawBytes(b);
  }

  /** A length (or any long) as Avro's zig-zag varint, whatever it claims. */
  RawAvro varLong(long v) {
    try {
      enc.writeLong(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  RawAvro rawBytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
