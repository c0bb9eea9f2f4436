package org.lmrec.stream.ingest;

import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * A validated interaction inside the job: the event plus where and when it was received, so a
 * later rejection can still name its source and latency can be measured from arrival. A Flink
 * POJO (public fields, no-arg constructor) for cheap serialization.
 */
public class Interaction {
  public String eventId;
  public String userId;
  public String itemId;
  public String eventType;
  public long eventTime;
  /** Wall-clock time (epoch ms) at which the job decoded the record. */
  public long receivedAt;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public Interaction() {}

  public static Interaction of(InteractionEvent e, long receivedAt, String topic, int partition, long offset) {
    Interaction i = new Interaction();
    i.eventId = e.getEventId();
    i.userId = e.getUserId();
    i.itemId = e.getItemId();
    i.eventType = e.getEventType().name();
    i.eventTime = e.getEventTime().toEpochMilli();
    i.receivedAt = receivedAt;
    i.sourceTopic = topic;
    i.sourcePartition = partition;
    i.sourceOffset = offset;
    return i;
  }

  /** The Avro record again (without the context map, which the job does not keep). */
  public InteractionEvent toEvent() {
    return InteractionEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(userId)
        .setItemId(itemId)
        .setEventType(EventType.valueOf(eventType))
        .setEventTime(java.time.Instant.ofEpochMilli(eventTime))
        .build();
  }

  @Override
  public String toString() {
    return "Interaction{" + eventId + ", user " + userId + ", item " + itemId + ", " + eventType + " @" + eventTime + "}";
  }
}
