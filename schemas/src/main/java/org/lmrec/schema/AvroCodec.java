package org.lmrec.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes one generated record type to plain Avro binary (no header, no schema fingerprint) and back.
 * Every decode failure, whatever Avro threw, becomes an {@link AvroCodecException} whose message says
 * which type failed and why. Garbage input cannot make it allocate more than a small multiple of the
 * payload: payloads over {@link #maxPayloadBytes()} are refused and every length prefix is checked
 * against the bytes that remain before Avro sees it. Thread-safe: it keeps no per-call state.
 */
public final class AvroCodec<T extends SpecificRecord> {
  /** Default payload limit; well above Kafka's default 1 MB message size. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

  private final Class<T> type;
  private final Schema writerSchema;
  private final int maxPayloadBytes;
  private final SpecificDatumWriter<T> writer;
  private final SpecificDatumReader<T> reader;

  private AvroCodec(Class<T> type, Schema writerSchema, int maxPayloadBytes) {
    this.type = type;
    this.writerSchema = writerSchema;
    this.maxPayloadBytes = maxPayloadBytes;
    Schema current = SpecificData.getForClass(type).getSchema(type);
    this.writer = new SpecificDatumWriter<>(current);
    this.reader = new SpecificDatumReader<>(writerSchema, current, SpecificData.getForClass(type));
  }

  /** Codec whose bytes are written and read with the current schema of {@code type}. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new AvroCodec<>(type, SpecificData.getForClass(type).getSchema(type), DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * Codec that decodes bytes written with another version of the schema ({@code writerSchema}) into the
   * current class, filling defaults for fields the writer lacked. {@link #encode} still writes the
   * current schema.
   *
   * @throws IllegalArgumentException if the current schema cannot read data written with writerSchema
   */
  public static <T extends SpecificRecord> AvroCodec<T> resolving(Class<T> type, Schema writerSchema) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(writerSchema, "writerSchema");
    Schema current = SpecificData.getForClass(type).getSchema(type);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(current, writerSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new IllegalArgumentException("Current " + type.getSimpleName()
          + " schema cannot read data written with the given schema: " + compatibility.getResult().getIncompatibilities());
    }
    return new AvroCodec<>(type, writerSchema, DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** Same codec with another payload limit (applies to decode only). */
  public AvroCodec<T> withMaxPayloadBytes(int maxPayloadBytes) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
    }
    return new AvroCodec<>(type, writerSchema, maxPayloadBytes);
  }

  public Class<T> type() {
    return type;
  }

  /** Schema the bytes given to {@link #decode} are expected to be written with. */
  public Schema writerSchema() {
    return writerSchema;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Plain Avro binary of {@code record} in the current schema. */
  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      // Typically a null in a non-optional field set through a plain setter, bypassing the builder.
      throw new AvroCodecException(name(), "Cannot encode " + name() + ": " + describe(e), e);
    }
    return out.toByteArray();
  }

  /** Decodes exactly one record from {@code bytes}; trailing bytes are an error. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new AvroCodecException(name(), "Cannot decode " + name() + ": payload is null (a tombstone?)", null);
    }
    if (bytes.length > maxPayloadBytes) {
      throw new AvroCodecException(name(), "Cannot decode " + name() + ": payload of " + bytes.length
          + " bytes exceeds the limit of " + maxPayloadBytes + " bytes", null);
    }
    try {
      BinaryShapeCheck.check(writerSchema, bytes);
      return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException | RuntimeException e) {
      throw new AvroCodecException(name(), "Cannot decode " + name() + " from " + bytes.length + " bytes: "
          + describe(e), e);
    }
  }

  private String name() {
    return type.getSimpleName();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }
}
