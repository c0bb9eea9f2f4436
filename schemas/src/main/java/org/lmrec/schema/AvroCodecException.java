package org.lmrec.schema;

/**
 * A record could not be encoded or decoded by {@link AvroCodec}. The message names the record type and
 * the reason, so it can go straight into {@link DeadLetter#getReason()}; {@link #getCause()} (when
 * present) supplies {@link DeadLetter#getErrorClass()}.
 */
public final class AvroCodecException extends RuntimeException {
  private final String recordType;

  AvroCodecException(String recordType, String message, Throwable cause) {
    super(message, cause);
    this.recordType = recordType;
  }

  /** Simple name of the record type that failed, e.g. {@code InteractionEvent}. */
  public String recordType() {
    return recordType;
  }
}
