package org.lmrec.flink.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.lmrec.schema.InteractionEvent;

/**
 * Puts each interaction under {@code date=YYYY-MM-DD} of its event time (UTC), not of its
 * arrival, so a retraining window over dates reads exactly the interactions of those dates.
 */
public final class EventDateBucketAssigner implements BucketAssigner<InteractionEvent, String> {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  public static String bucketOf(Instant eventTime) {
    return "date=" + DATE.format(eventTime);
  }

  @Override
  public String getBucketId(InteractionEvent event, Context context) {
    return bucketOf(event.getEventTime());
  }

  @Override
  public SimpleVersionedSerializer<String> getSerializer() {
    return SimpleVersionedStringSerializer.INSTANCE;
  }
}
