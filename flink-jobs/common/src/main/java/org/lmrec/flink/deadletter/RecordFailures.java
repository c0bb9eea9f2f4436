package org.lmrec.flink.deadletter;

import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;

/**
 * Turns an unexpected failure while processing one record into that record's dead letter. Every
 * operator's per-record path ends here instead of failing the task: a failure that one record
 * causes would come back with that record after every restart, so letting it restart the job
 * would stop the job for good.
 */
public final class RecordFailures {
  /** Where a record produced inside the job (no Kafka source of its own) is said to come from. */
  public static final String INTERNAL_TOPIC_PREFIX = "(internal) ";
  /** Longest exception message kept in a reason: the message may repeat the offending value. */
  static final int MAX_MESSAGE_CHARS = 1_000;
  /** Largest raw value kept with such a dead letter; the job's own payload cap on input. */
  public static final int MAX_RAW_BYTES = 64 * 1024;

  private RecordFailures() {}

  /**
   * @param operator the operator's name, as in the job graph
   * @param raw the record's bytes (the Kafka value, or the record re-encoded); may be null
   */
  public static DeadLetter deadLetter(String operator, byte[] raw, byte[] key, String topic, int partition, long offset, Throwable error, long now) {
    return DeadLetters.of(raw, key, topic == null ? INTERNAL_TOPIC_PREFIX + operator : topic, partition, offset,
        "unexpected failure in " + operator + ": " + describe(error), error, MAX_RAW_BYTES, now);
  }

  /** The record's Avro bytes, or none when it cannot even be encoded (the dead letter still says why). */
  public static <T extends org.apache.avro.specific.SpecificRecord> byte[] bytesOf(AvroCodec<T> codec, java.util.function.Supplier<T> record) {
    try {
      return codec.encode(record.get());
    } catch (RuntimeException unencodable) {
      return new byte[0];
    }
  }

  /** The exception's class and message, cut to {@value #MAX_MESSAGE_CHARS} characters. */
  public static String describe(Throwable error) {
    String message = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "… [cut from " + message.length() + " characters]";
  }
}
