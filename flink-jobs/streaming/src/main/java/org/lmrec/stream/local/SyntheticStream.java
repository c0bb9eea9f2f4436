package org.lmrec.stream.local;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import org.lmrec.data.Dataset;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * Replays a dataset's interactions in their recorded order as live events stamped with the
 * current time, looping over the dataset with fresh event ids. Deterministic order: by recorded
 * time, then user, then position.
 */
public final class SyntheticStream {
  private static final EventType[] TYPES = {EventType.VIEW, EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE};

  private final Dataset dataset;
  private final long[][] order; // {time, user, position}
  private final String runId;
  private long emitted;

  public SyntheticStream(Dataset dataset, String runId) {
    this.dataset = dataset;
    this.runId = runId;
    int n = (int) dataset.numInteractions();
    order = new long[n][];
    int k = 0;
    for (int u = 0; u < dataset.numUsers(); u++) {
      long[] times = dataset.timestamps(u);
      int[] seq = dataset.sequence(u);
      for (int t = 0; t < seq.length; t++) order[k++] = new long[] {times == null ? t : times[t], u, t};
    }
    Arrays.sort(order, Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]).thenComparingLong(a -> a[2]));
  }

  public Dataset dataset() {
    return dataset;
  }

  public InteractionEvent next(long nowMillis) {
    long[] e = order[(int) (emitted % order.length)];
    int user = (int) e[1];
    int item = dataset.sequence(user)[(int) e[2]];
    long n = emitted++;
    return InteractionEvent.newBuilder()
        .setEventId(runId + "-" + n)
        .setUserId(dataset.userId(user))
        .setItemId(dataset.itemId(item))
        .setEventType(TYPES[(int) (n % TYPES.length)])
        .setEventTime(Instant.ofEpochMilli(nowMillis))
        .build();
  }

  public long emitted() {
    return emitted;
  }
}
