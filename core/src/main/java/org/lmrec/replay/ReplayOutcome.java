package org.lmrec.replay;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one model served for one replayed event, and whether the user's actual next item was in it.
 *
 * @param rank 0-based position of {@code nextItemId} in {@code shown}, or -1 when it is not there (a
 *     miss at every cutoff)
 * @param listSize length of the served list, always {@code shown.size()}; 0 means no list was served
 *     (the model could not score the event), which counts as a miss and as an empty list
 * @param shown the served top-K list, best first, without repeats
 */
public record ReplayOutcome(
    String model, String userId, String eventId, long eventTimeMillis, String nextItemId, int rank, int listSize, List<String> shown) {

  public ReplayOutcome {
    Objects.requireNonNull(model, "model is null");
    Objects.requireNonNull(userId, "userId is null");
    Objects.requireNonNull(eventId, "eventId is null");
    Objects.requireNonNull(nextItemId, "nextItemId is null");
    Objects.requireNonNull(shown, "shown is null (use an empty list when nothing was served)");
    shown = List.copyOf(shown); // also refuses null items
    String where = "outcome of model '" + model + "' for event '" + eventId + "': ";
    if (listSize != shown.size()) {
      throw new IllegalArgumentException(where + "listSize is " + listSize + " but " + shown.size() + " items were shown");
    }
    // A repeated item would make the rank ambiguous and inflate coverage counts.
    Set<String> seen = new HashSet<>(shown.size() * 2);
    for (String item : shown) {
      if (!seen.add(item)) throw new IllegalArgumentException(where + "item '" + item + "' is shown twice");
    }
    int actual = shown.indexOf(nextItemId);
    if (rank != actual) {
      throw new IllegalArgumentException(where + "rank is " + rank + " but next item '" + nextItemId + "' is at "
          + (actual < 0 ? "no position (rank -1)" : "position " + actual) + " of the shown list");
    }
  }

  /** An outcome whose rank is computed from {@code shown}. */
  public static ReplayOutcome of(
      String model, String userId, String eventId, long eventTimeMillis, String nextItemId, List<String> shown) {
    Objects.requireNonNull(shown, "shown is null (use an empty list when nothing was served)");
    return new ReplayOutcome(model, userId, eventId, eventTimeMillis, nextItemId, shown.indexOf(nextItemId), shown.size(), shown);
  }

  public boolean isHit() {
    return rank >= 0;
  }

  public boolean isEmptyList() {
    return listSize == 0;
  }
}
