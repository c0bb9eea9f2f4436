package org.lmrec.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * Seeded interaction traffic for the streaming benchmark: users uniform over a population, items
 * Zipf-like over the catalogue (a few popular items, a long tail), as Avro bytes keyed by user.
 */
final class StreamTraffic {
  private final SplittableRandom random;
  private final int users;
  private final int items;
  private final String runId;
  private final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
  private final EventType type;
  private long sent;

  StreamTraffic(long seed, int users, int items, String runId) {
    this(seed, users, items, runId, EventType.CLICK);
  }

  /** Events of {@code type} (e.g. VIEW, to fill histories without triggering recommendations). */
  StreamTraffic(long seed, int users, int items, String runId, EventType type) {
    this.random = new SplittableRandom(seed);
    this.users = users;
    this.items = items;
    this.runId = runId;
    this.type = type;
  }

  /** {key, value} of the next event, stamped with {@code eventTimeMillis}. */
  byte[][] next(long eventTimeMillis) {
    String user = "u" + random.nextInt(users);
    // Inverse-CDF draw of an approximately Zipf(1) rank: exp(U * ln(items)) lies in [1, items).
    int item = 1 + (int) Math.min(items - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(items))) - 1);
    InteractionEvent e = InteractionEvent.newBuilder()
        .setEventId(runId + "-" + sent++)
        .setUserId(user)
        .setItemId("i" + item)
        .setEventType(type)
        .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
        .build();
    return new byte[][] {user.getBytes(StandardCharsets.UTF_8), codec.encode(e)};
  }
}
