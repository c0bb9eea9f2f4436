package org.lmrec.retrain;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user's prepared interaction history for retraining: external item ids in chronological
 * order, with their event times. The retraining job's data preparation produces these from the
 * interaction archive; {@link RetrainingData} turns them into a dataset.
 *
 * @param items external item ids, oldest first
 * @param eventTimesMillis event time of each item (UTC epoch milliseconds), non-decreasing
 */
public record UserHistory(String userId, String[] items, long[] eventTimesMillis) {
  public UserHistory {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(eventTimesMillis, "eventTimesMillis");
    if (items.length != eventTimesMillis.length) {
      throw new IllegalArgumentException("user " + userId + ": " + items.length + " items but " + eventTimesMillis.length + " event times");
    }
    for (int i = 1; i < eventTimesMillis.length; i++) {
      if (eventTimesMillis[i] < eventTimesMillis[i - 1]) {
        throw new IllegalArgumentException("user " + userId + ": event times are not in order at position " + i);
      }
    }
  }

  public int length() {
    return items.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserHistory h && userId.equals(h.userId) && Arrays.equals(items, h.items) && Arrays.equals(eventTimesMillis, h.eventTimesMillis);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * userId.hashCode() + Arrays.hashCode(items)) + Arrays.hashCode(eventTimesMillis);
  }

  @Override
  public String toString() {
    return "UserHistory[" + userId + ", " + Arrays.toString(items) + "]";
  }
}
