package org.lmrec.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.lmrec.schema.AvroCodecException.Problem;

/**
 * Encodes one generated record type to Avro's single-object encoding (marker {@code C3 01}, the
 * writer schema's 64-bit fingerprint, the body: the wire format of every lmrec topic) and back.
 * Decoding resolves every released version of the type ({@link ReleasedSchemas}) to the current
 * class, and refuses foreign bytes with a reason that names the fingerprint and, when it is a
 * released schema of another record, that record. Every decode failure, whatever Avro threw,
 * becomes an {@link AvroCodecException}. Garbage input cannot make it allocate more than a small
 * multiple of the payload: payloads over {@link #maxPayloadBytes()} are refused and every length
 * prefix is checked against the bytes that remain before Avro sees it. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
  /** Default payload limit; well above Kafka's default 1 MB message size. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

  private final Class<T> type;
  private final Schema current;
  private final int maxPayloadBytes;
  private final boolean acceptPlainBinary;
  private final ReleasedSchemas released;
  private final BinaryMessageEncoder<T> encoder;
  private final ReleasedSchemas.Version currentVersion;
  private final BinaryMessageDecoder<T> decoder;
  private final SpecificDatumReader<T> plainReader;

  private AvroCodec(Class<T> type, int maxPayloadBytes, boolean acceptPlainBinary) {
    this.type = type;
    this.maxPayloadBytes = maxPayloadBytes;
    this.acceptPlainBinary = acceptPlainBinary;
    SpecificData model = SpecificData.getForClass(type);
    this.current = model.getSchema(type);
    this.released = ReleasedSchemas.get();
    this.encoder = new BinaryMessageEncoder<>(model, current);
    boolean listed = released.types().contains(current.getName());
    // A nested type (ScoredItem) has no released history of its own: only its current schema.
    this.currentVersion = listed ? released.versionsOf(current.getName()).stream().filter(ReleasedSchemas.Version::current).findFirst().orElseThrow()
        : new ReleasedSchemas.Version(current.getName(), 1, current, ReleasedSchemas.fingerprint(current), true);
    this.decoder = new BinaryMessageDecoder<>(model, current, listed ? released.storeFor(current.getName()) : fingerprint -> null);
    this.plainReader = new SpecificDatumReader<>(current, current, model);
  }

  /** Codec for {@code type}: writes its current schema, reads every released version of it. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new AvroCodec<>(type, DEFAULT_MAX_PAYLOAD_BYTES, false);
  }

  /** Same codec with another payload limit (applies to decode only). */
  public AvroCodec<T> withMaxPayloadBytes(int maxPayloadBytes) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
    }
    return new AvroCodec<>(type, maxPayloadBytes, acceptPlainBinary);
  }

  /**
   * Same codec that also decodes headerless Avro binary, as the current schema, for producers that
   * predate the header (a migration aid). Bytes with the marker are still read as single objects;
   * no valid plain record of a type whose first field is a string starts with {@code C3 01}, since
   * that would be a negative length.
   */
  public AvroCodec<T> withPlainBinaryAccepted(boolean accept) {
    return new AvroCodec<>(type, maxPayloadBytes, accept);
  }

  public Class<T> type() {
    return type;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public boolean acceptsPlainBinary() {
    return acceptPlainBinary;
  }

  /** Single-object encoding of {@code record} in the current schema. */
  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try {
      encoder.encode(record, out);
    } catch (IOException | RuntimeException e) {
      // Typically a null in a non-optional field set through a plain setter, bypassing the builder.
      throw new AvroCodecException(name(), Problem.UNENCODABLE, "Cannot encode " + name() + ": " + describe(e), e);
    }
    return out.toByteArray();
  }

  /** Decodes exactly one record from {@code bytes}; trailing bytes are an error. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw failure(Problem.NULL_PAYLOAD, "Cannot decode " + name() + ": payload is null (a tombstone?)", null);
    }
    if (bytes.length > maxPayloadBytes) {
      throw failure(Problem.TOO_LARGE, "Cannot decode " + name() + ": payload of " + bytes.length
          + " bytes exceeds the limit of " + maxPayloadBytes + " bytes", null);
    }
    if (SingleObjectHeader.hasMarker(bytes)) {
      return decodeSingleObject(bytes);
    }
    if (acceptPlainBinary) {
      return decodePlain(bytes);
    }
    throw failure(Problem.NO_HEADER, prefix(bytes) + (bytes.length == 0 ? "empty payload" : "no single-object header: the bytes start with "
        + SingleObjectHeader.start(bytes) + ", not the marker c3 01 (Avro binary without the header, or not Avro)"), null);
  }

  private T decodeSingleObject(byte[] bytes) {
    if (bytes.length < SingleObjectHeader.LENGTH) {
      throw failure(Problem.TRUNCATED_HEADER, prefix(bytes) + "truncated single-object header: the marker c3 01 must be followed by"
          + " an 8-byte schema fingerprint", null);
    }
    long fingerprint = SingleObjectHeader.fingerprint(bytes);
    ReleasedSchemas.Version writer = fingerprint == currentVersion.fingerprint() ? currentVersion : released.byFingerprint(fingerprint).orElseThrow(() -> failure(Problem.UNKNOWN_SCHEMA,
        prefix(bytes) + "unknown schema fingerprint " + ReleasedSchemas.hex(fingerprint) + ": no released lmrec schema has it", null));
    if (!writer.type().equals(name())) {
      throw failure(Problem.FOREIGN_TYPE, prefix(bytes) + "schema fingerprint " + ReleasedSchemas.hex(fingerprint) + " is " + writer.label()
          + ", not " + name(), null);
    }
    try {
      BinaryShapeCheck.check(writer.schema(), bytes, SingleObjectHeader.LENGTH);
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw failure(Problem.MALFORMED, prefix(bytes) + "written with " + writer.label() + " (" + ReleasedSchemas.hex(fingerprint) + "): "
          + describe(e), e);
    }
  }

  private T decodePlain(byte[] bytes) {
    try {
      BinaryShapeCheck.check(current, bytes);
      return plainReader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException | RuntimeException e) {
      throw failure(Problem.MALFORMED, prefix(bytes) + "headerless, read as the current schema: " + describe(e), e);
    }
  }

  private String prefix(byte[] bytes) {
    return "Cannot decode " + name() + " from " + bytes.length + " bytes: ";
  }

  private AvroCodecException failure(Problem problem, String message, Throwable cause) {
    return new AvroCodecException(name(), problem, message, cause);
  }

  private String name() {
    return type.getSimpleName();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }
}
