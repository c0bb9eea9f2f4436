package org.lmrec.stream.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmrec.schema.UserSequenceState;

/**
 * One user's bounded window of recent interactions, in event-time order. Late events are inserted
 * where they belong (equal times keep arrival order); a full window drops its oldest entry; an
 * event id already in the window is a duplicate and changes nothing. Plain Java: the Flink
 * operator only loads and stores it.
 */
public final class UserSequence {
  public enum Outcome {
    /** Inserted (possibly pushing the oldest entry out). */
    ADDED,
    /** Same event id already in the window: ignored. */
    DUPLICATE,
    /** Older than every entry of a full window: accepted, but it cannot enter the window. */
    OLDER_THAN_WINDOW
  }

  private final int capacity;
  private final String[] items;
  private final long[] times;
  private final long[] hashes;
  private int size;
  private long accepted;
  private java.util.OptionalLong forgotten = java.util.OptionalLong.empty();

  public UserSequence(int capacity) {
    if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    this.capacity = capacity;
    this.items = new String[capacity];
    this.times = new long[capacity];
    this.hashes = new long[capacity];
  }

  /** Loads stored state; a window stored with a larger capacity keeps its newest entries. */
  public static UserSequence from(UserSequenceState state, int capacity) {
    UserSequence s = new UserSequence(capacity);
    if (state == null) return s;
    List<String> ids = state.getItemIds();
    List<Long> ts = state.getEventTimes();
    List<Long> hs = state.getEventIdHashes();
    if (ids.size() != ts.size() || ids.size() != hs.size()) {
      throw new IllegalStateException("corrupt user state: " + ids.size() + " items, " + ts.size() + " times, " + hs.size() + " hashes");
    }
    int skip = Math.max(0, ids.size() - capacity);
    for (int i = skip; i < ids.size(); i++) {
      s.items[s.size] = ids.get(i);
      s.times[s.size] = ts.get(i);
      s.hashes[s.size] = hs.get(i);
      s.size++;
    }
    s.accepted = state.getAcceptedEvents();
    return s;
  }

  public UserSequenceState toState() {
    List<String> ids = new ArrayList<>(size);
    List<Long> ts = new ArrayList<>(size);
    List<Long> hs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(items[i]);
      ts.add(times[i]);
      hs.add(hashes[i]);
    }
    return UserSequenceState.newBuilder().setItemIds(ids).setEventTimes(ts).setEventIdHashes(hs).setAcceptedEvents(accepted).build();
  }

  /** Is an event with this id hash in the window? */
  public boolean contains(long eventIdHash) {
    for (int i = 0; i < size; i++) {
      if (hashes[i] == eventIdHash) return true;
    }
    return false;
  }

  /**
   * The id hash of the entry the last {@link #add} pushed out of a full window, or of the event
   * itself when it was {@link Outcome#OLDER_THAN_WINDOW}: the id the window no longer remembers.
   * Empty after an add that kept every id.
   */
  public java.util.OptionalLong forgottenHash() {
    return forgotten;
  }

  public Outcome add(String itemId, long eventTime, long eventIdHash) {
    forgotten = java.util.OptionalLong.empty();
    if (contains(eventIdHash)) return Outcome.DUPLICATE;
    accepted++;
    int pos = size;
    while (pos > 0 && times[pos - 1] > eventTime) pos--;
    if (size == capacity) {
      if (pos == 0) {
        forgotten = java.util.OptionalLong.of(eventIdHash);
        return Outcome.OLDER_THAN_WINDOW;
      }
      forgotten = java.util.OptionalLong.of(hashes[0]);
      // Drop the oldest entry, then insert at pos - 1 in the shifted window.
      System.arraycopy(items, 1, items, 0, pos - 1);
      System.arraycopy(times, 1, times, 0, pos - 1);
      System.arraycopy(hashes, 1, hashes, 0, pos - 1);
      pos--;
    } else {
      System.arraycopy(items, pos, items, pos + 1, size - pos);
      System.arraycopy(times, pos, times, pos + 1, size - pos);
      System.arraycopy(hashes, pos, hashes, pos + 1, size - pos);
      size++;
    }
    items[pos] = itemId;
    times[pos] = eventTime;
    hashes[pos] = eventIdHash;
    return Outcome.ADDED;
  }

  public int size() {
    return size;
  }

  /** Accepted interactions over the state's lifetime, duplicates excluded. */
  public long acceptedEvents() {
    return accepted;
  }

  /** Item ids oldest first (a copy). */
  public String[] itemIds() {
    return Arrays.copyOf(items, size);
  }

  public long[] eventTimes() {
    return Arrays.copyOf(times, size);
  }
}
