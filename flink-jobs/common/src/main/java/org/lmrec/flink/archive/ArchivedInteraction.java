package org.lmrec.flink.archive;

import java.util.Comparator;
import org.apache.avro.generic.GenericRecord;

/**
 * One archived interaction inside the preparation job: the fields the preparation needs, copied out
 * of the Avro record (which the reader reuses for the next one). A record, so Flink serializes it as
 * a POJO rather than through Kryo.
 *
 * @param eventType the {@code EventType} symbol's name (kept as text, so unknown symbols pass through)
 * @param eventTimeMillis UTC epoch milliseconds
 */
public record ArchivedInteraction(String eventId, String userId, String itemId, String eventType, long eventTimeMillis) {
  /**
   * A total order on every field: by event time, then event id, then the rest. A user's sequence
   * follows it, and of two copies of one event id the first in it is kept, so neither depends on
   * which file or subtask an event came from.
   */
  public static final Comparator<ArchivedInteraction> ORDER =
      Comparator.comparingLong(ArchivedInteraction::eventTimeMillis)
          .thenComparing(ArchivedInteraction::eventId)
          .thenComparing(ArchivedInteraction::userId)
          .thenComparing(ArchivedInteraction::itemId)
          .thenComparing(ArchivedInteraction::eventType);

  /** Copies the fields out of a decoded {@code InteractionEvent} (generic or specific). */
  public static ArchivedInteraction of(GenericRecord r) {
    return new ArchivedInteraction(
        r.get("eventId").toString(), r.get("userId").toString(), r.get("itemId").toString(),
        r.get("eventType").toString(), millis(r.get("eventTime")));
  }

  private static long millis(Object eventTime) {
    // Without logical-type conversions (Flink's reader) timestamp-millis decodes as a long; with them, as an Instant.
    if (eventTime instanceof Long l) return l;
    if (eventTime instanceof java.time.Instant i) return i.toEpochMilli();
    throw new IllegalArgumentException("unexpected eventTime value " + eventTime + " (" + (eventTime == null ? "null" : eventTime.getClass().getName()) + ")");
  }
}
