package org.lmrec.retrainjob.prep;

import java.util.ArrayList;
import java.util.List;
import org.lmrec.retrain.UserHistory;
import org.lmrec.flink.interaction.Interaction;

/**
 * One user's deduplicated, in-window events to a training sequence: ordered by {@link
 * Interaction#ORDER}, split into sessions, repeats collapsed, trimmed to the most recent
 * items, dropped if too short. Plain Java, so the Flink function stays a thin shell around it.
 */
final class HistoryBuilder {
  /** What the rules removed; the caller adds these into its job counters. */
  static final class Tally {
    long repeatsCollapsed;
    long itemsTruncated;
    long usersTooShort;
  }

  private final PrepOptions options;
  private final long sessionGapMillis;

  HistoryBuilder(PrepOptions options) {
    this.options = options;
    this.sessionGapMillis = options.sessionGap().toMillis();
  }

  /** The history, or null when it is shorter than {@code minLength}. Sorts {@code events} in place. */
  UserHistory build(String userId, List<Interaction> events, Tally tally) {
    events.sort(Interaction.ORDER);
    List<Interaction> steps = new ArrayList<>(events.size());
    Interaction previous = null;
    for (Interaction e : events) {
      // A pause of at least the gap starts a new session, as in Flink's session windows.
      boolean sameSession = previous != null && e.eventTime - previous.eventTime < sessionGapMillis;
      if (options.collapseRepeats() && sameSession && e.itemId.equals(previous.itemId)) {
        tally.repeatsCollapsed++;
      } else {
        steps.add(e);
      }
      previous = e;
    }
    int from = 0;
    if (options.maxLength() > 0 && steps.size() > options.maxLength()) {
      from = steps.size() - options.maxLength();
      tally.itemsTruncated += from;
    }
    int length = steps.size() - from;
    if (length < options.minLength()) {
      tally.usersTooShort++;
      return null;
    }
    String[] items = new String[length];
    long[] times = new long[length];
    for (int i = 0; i < length; i++) {
      Interaction step = steps.get(from + i);
      items[i] = step.itemId;
      times[i] = step.eventTime;
    }
    return new UserHistory(userId, items, times);
  }
}
