package org.lmrec.flink.deadletter;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.lmrec.schema.DeadLetter;

/**
 * Builds dead-letter records; the original bytes are kept, cut to limits that the reason then
 * states. Whatever the caller asks for, a dead letter stays well under the producer's default
 * {@code max.request.size} of 1 MiB: value at most {@value #MAX_VALUE_BYTES} bytes, key at most
 * {@value #MAX_KEY_BYTES}, reason at most {@value #MAX_REASON_CHARS} characters (a reason may
 * quote the offending value). A dead letter that the producer refused would fail the sink.
 */
public final class DeadLetters {
  public static final int MAX_VALUE_BYTES = 512 * 1024;
  public static final int MAX_KEY_BYTES = 1024;
  public static final int MAX_REASON_CHARS = 4096;

  private DeadLetters() {}

  public static DeadLetter of(
      byte[] value, byte[] key, String topic, int partition, long offset, String reason, Throwable error, int maxBytes, long now) {
    int valueLimit = Math.min(maxBytes, MAX_VALUE_BYTES);
    byte[] kept = value == null ? new byte[0] : value;
    String why = reason == null ? "" : LogSafe.text(reason, Integer.MAX_VALUE); // reasons quote senders' text
    if (why.length() > MAX_REASON_CHARS) why = why.substring(0, MAX_REASON_CHARS) + "… [reason cut from " + why.length() + " characters]";
    if (kept.length > valueLimit) {
      why = why + " [payload cut from " + kept.length + " to its first " + valueLimit + " bytes]";
      kept = Arrays.copyOf(kept, valueLimit);
    }
    byte[] keptKey = key;
    if (key != null && key.length > MAX_KEY_BYTES) {
      why = why + " [key cut from " + key.length + " to its first " + MAX_KEY_BYTES + " bytes]";
      keptKey = Arrays.copyOf(key, MAX_KEY_BYTES);
    }
    return DeadLetter.newBuilder()
        .setRawValue(ByteBuffer.wrap(kept))
        .setRawKey(keptKey == null ? null : ByteBuffer.wrap(keptKey))
        .setSourceTopic(topic == null ? "" : topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setReason(why)
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setReceivedAt(Instant.ofEpochMilli(now))
        .build();
  }
}
