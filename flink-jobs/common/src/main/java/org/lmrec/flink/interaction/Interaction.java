package org.lmrec.flink.interaction;

import java.time.Instant;
import java.util.Comparator;
import org.apache.avro.generic.GenericRecord;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * The one representation of an interaction inside lmrec's Flink jobs: the streaming job (from the
 * source's decoder to the user sequences, the exposure outcomes and the archive's mapper), the
 * replay job and the retraining's data preparation (both read it back from the archive with
 * {@code InteractionArchiveFormat}). A Flink POJO (public fields, no-arg constructor) for cheap
 * serialization; no operator keeps it in state across a checkpoint, so its class is not part of
 * any savepoint.
 *
 * <p>The other representation, the Avro {@link InteractionEvent}, is not used inside the jobs: it
 * is the bytes on the interactions topic (single-object encoding, any released version) and in
 * the archive's container files, whose format must not change because the archive written before
 * is still read by replay and retraining. {@link #of(InteractionEvent, long, String, int, long)}
 * and {@link #toEvent()} are the two conversions at those edges, {@link #of(GenericRecord)} the
 * archive reader's.
 *
 * <p>Besides the event, it carries where and when the job received it, so a later rejection can
 * still name its source and latency can be measured from arrival. Read back from the archive,
 * those are unknown: {@link #archived} leaves the source empty and sets {@code receivedAt} to
 * the event time. The event's {@code context} map is not kept.
 */
public class Interaction {
  public String eventId;
  public String userId;
  public String itemId;
  /** The {@code EventType} symbol's name (text, so an archived symbol this version does not know passes through). */
  public String eventType;
  /** UTC epoch milliseconds. */
  public long eventTime;
  /** Wall-clock time (epoch ms) at which the job decoded the record; the event time for an archived one. */
  public long receivedAt;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public Interaction() {}

  /**
   * A total order on the event's fields: by event time, then event id, then the rest. A user's
   * sequence rebuilt from the archive follows it, and of two copies of one event id the first in
   * it is kept, so neither depends on which file or subtask an event came from.
   */
  public static final Comparator<Interaction> ORDER =
      Comparator.<Interaction>comparingLong(i -> i.eventTime)
          .thenComparing(i -> i.eventId)
          .thenComparing(i -> i.userId)
          .thenComparing(i -> i.itemId)
          .thenComparing(i -> i.eventType);

  /** A decoded, validated event as the job received it. */
  public static Interaction of(InteractionEvent e, long receivedAt, String topic, int partition, long offset) {
    Interaction i = archived(e.getEventId(), e.getUserId(), e.getItemId(), e.getEventType().name(), e.getEventTime().toEpochMilli());
    i.receivedAt = receivedAt;
    i.sourceTopic = topic;
    i.sourcePartition = partition;
    i.sourceOffset = offset;
    return i;
  }

  /** An interaction read back from the archive: the event's fields only, received "at" its event time. */
  public static Interaction archived(String eventId, String userId, String itemId, String eventType, long eventTime) {
    Interaction i = new Interaction();
    i.eventId = eventId;
    i.userId = userId;
    i.itemId = itemId;
    i.eventType = eventType;
    i.eventTime = eventTime;
    i.receivedAt = eventTime;
    return i;
  }

  /**
   * Copies the fields out of a decoded archive record ({@code InteractionEvent}, generic or
   * specific), which the archive reader reuses for the next one.
   */
  public static Interaction of(GenericRecord r) {
    return archived(r.get("eventId").toString(), r.get("userId").toString(), r.get("itemId").toString(),
        r.get("eventType").toString(), millis(r.get("eventTime")));
  }

  private static long millis(Object eventTime) {
    // Without logical-type conversions (Flink's reader) timestamp-millis decodes as a long; with them, as an Instant.
    if (eventTime instanceof Long l) return l;
    if (eventTime instanceof Instant i) return i.toEpochMilli();
    throw new IllegalArgumentException("unexpected eventTime value " + eventTime + " (" + (eventTime == null ? "null" : eventTime.getClass().getName()) + ")");
  }

  /** The Avro record again, as the archive stores it (without the context map, which the job does not keep). */
  public InteractionEvent toEvent() {
    return InteractionEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(userId)
        .setItemId(itemId)
        .setEventType(EventType.valueOf(eventType))
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .build();
  }

  @Override
  public String toString() {
    return "Interaction{" + eventId + ", user " + userId + ", item " + itemId + ", " + eventType + " @" + eventTime + "}";
  }
}
