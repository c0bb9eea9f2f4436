package org.lmrec.schema;

/**
 * A record could not be encoded or decoded by {@link AvroCodec}. The message names the record type and
 * the reason, so it can go straight into {@link DeadLetter#getReason()}; {@link #getCause()} (when
 * present) supplies {@link DeadLetter#getErrorClass()}.
 */
public final class AvroCodecException extends RuntimeException {
  /** What was wrong, for callers that add advice or count refusals by kind. */
  public enum Problem {
    /** A null payload (a tombstone). */
    NULL_PAYLOAD,
    /** More bytes than the codec's limit. */
    TOO_LARGE,
    /** No single-object marker {@code C3 01}: headerless Avro binary, or not Avro at all. */
    NO_HEADER,
    /** The marker, but fewer than the 10 bytes of a header. */
    TRUNCATED_HEADER,
    /** A fingerprint no released lmrec schema has. */
    UNKNOWN_SCHEMA,
    /** A released schema of another record type. */
    FOREIGN_TYPE,
    /** A known writer schema, but the body does not hold one well-formed record of it. */
    MALFORMED,
    /** Encoding failed. */
    UNENCODABLE
  }

  private final String recordType;
  private final Problem problem;

  AvroCodecException(String recordType, Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.recordType = recordType;
    this.problem = problem;
  }

  /** Simple name of the record type that failed, e.g. {@code InteractionEvent}. */
  public String recordType() {
    return recordType;
  }

  public Problem problem() {
    return problem;
  }
}
