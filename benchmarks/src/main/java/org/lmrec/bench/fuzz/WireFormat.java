package org.lmrec.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.lmrec.schema.ModelUpdate;

/**
 * How a valid record goes on the wire, in one place each: {@link #frame} wraps an Avro body written
 * with a schema, {@link #sign} makes a model announcement acceptable to the scorer. Every
 * generator builds its records through these two, so when the wire format (single-object encoding)
 * or announcement signatures change, only these two methods change.
 */
final class WireFormat {
  private WireFormat() {}

  /**
   * THE framing of a valid record: today plain Avro binary, the body as it is. With single-object
   * encoding this prepends {@code C3 01} and the 64-bit fingerprint of {@code writer}.
   */
  static byte[] frame(Schema writer, byte[] avroBody) {
    return avroBody;
  }

  /** THE signing of a model announcement: today announcements carry no signature, so none is added. */
  static ModelUpdate sign(ModelUpdate announcement) {
    return announcement;
  }

  /** A specific record's Avro body, framed. */
  static byte[] encode(SpecificRecord record) {
    return frame(record.getSchema(), write(new org.apache.avro.specific.SpecificDatumWriter<>(record.getSchema()), record));
  }

  /** A generic record (an older schema version, another topic's schema), framed with its own schema. */
  static byte[] encodeGeneric(org.apache.avro.generic.GenericRecord record) {
    return frame(record.getSchema(), write(new GenericDatumWriter<>(record.getSchema()), record));
  }

  private static <T> byte[] write(org.apache.avro.io.DatumWriter<T> writer, T datum) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(datum, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
