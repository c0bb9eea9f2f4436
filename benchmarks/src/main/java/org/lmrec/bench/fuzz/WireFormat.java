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
import org.lmrec.flink.announce.AnnouncementSigner;

/**
 * How a valid record goes on the wire, in one place each: {@link #frame} wraps an Avro body written
 * with a schema, {@link #sign} makes a model announcement acceptable to the scorer. Every
 * generator builds its records through these two, so when the wire format (single-object encoding)
 * or announcement signatures change, only these two methods change.
 */
final class WireFormat {
  private WireFormat() {}

  /**
   * THE framing of a valid record: Avro single-object encoding, {@code C3 01}, the 64-bit
   * CRC-64-AVRO fingerprint of {@code writer} (little-endian), then the body (docs/wire-format.md).
   */
  static byte[] frame(Schema writer, byte[] avroBody) {
    long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(writer);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + avroBody.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).put(avroBody);
    return b.array();
  }

  private static AnnouncementSigner signer;

  /** The key the campaign's job trusts; announcements are signed with it from then on. */
  static void signWith(AnnouncementSigner s) {
    signer = s;
  }

  /**
   * THE signing of a model announcement, with the campaign's trusted key, over whatever fields the
   * generator put in (a hostile but signed pointer tests everything behind the signature check).
   */
  static ModelUpdate sign(ModelUpdate announcement) {
    if (signer == null) throw new IllegalStateException("no signing key: call signWith first");
    return signer.sign(announcement);
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
