package org.lmrec.stream.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.lmrec.schema.DeadLetter;

/** Builds dead-letter records; the original bytes are kept (cut to a limit, which the reason then says). */
public final class DeadLetters {
  private DeadLetters() {}

  public static DeadLetter of(
      byte[] value, byte[] key, String topic, int partition, long offset, String reason, Throwable error, int maxBytes, long now) {
    byte[] kept = value == null ? new byte[0] : value;
    String why = reason;
    if (kept.length > maxBytes) {
      why = reason + " [payload cut from " + kept.length + " to its first " + maxBytes + " bytes]";
      kept = Arrays.copyOf(kept, maxBytes);
    }
    return DeadLetter.newBuilder()
        .setRawValue(ByteBuffer.wrap(kept))
        .setRawKey(key == null ? null : ByteBuffer.wrap(key))
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setReason(why)
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setReceivedAt(Instant.ofEpochMilli(now))
        .build();
  }
}
