package org.lmrec.stream.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed {@link ValueState} with a bounded cache of live values in front of it, written back
 * only when it must be: when an entry is evicted (least recently used first) and before every
 * checkpoint ({@link #flush()}, which the operator calls before its snapshot).
 * A user whose state is read and rewritten on every event then costs RocksDB one read when the
 * user comes into the cache and one write per checkpoint, not a read, a deserialisation, a
 * serialisation and a write per event.
 *
 * <p>Exactly-once is kept: a checkpoint sees every value as of its barrier, because the flush runs
 * before the snapshot; after a failure the job restores from that checkpoint and the cache starts
 * empty. Values handed out are the cached objects themselves, as on Flink's heap backend: a caller
 * may change one in place, then {@link #update} it. The time-to-live of the underlying state is
 * honoured by the cache: an entry not updated (or, if never updated, not loaded) for longer than
 * {@code ttl} reads as absent, and is cleared in the backend at the next write.
 *
 * <p>Not thread-safe; one instance per operator subtask, used from the task thread.
 *
 * @param <K> the key type of the operator's keyed stream
 * @param <V> the state's value type
 */
public final class WriteBehindValueState<K, V> {
  private final ValueState<V> state;
  private final KeyContext keys;
  private final int capacity;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<K, Entry<V>> entries;
  private long hits;
  private long misses;
  private long writes;

  private static final class Entry<V> {
    V value;
    boolean dirty;
    long updatedAt;

    Entry(V value, long updatedAt) {
      this.value = value;
      this.updatedAt = updatedAt;
    }
  }

  /**
   * @param state the operator's keyed state
   * @param keys the operator: whose current key the cache reads and, to write back an evicted
   *     entry, briefly changes
   * @param capacity entries kept at most (at least 1)
   * @param ttl the state's time-to-live, zero for none
   * @param clock processing time in milliseconds, for the time-to-live
   */
  public WriteBehindValueState(ValueState<V> state, KeyContext keys, int capacity, Duration ttl, LongSupplier clock) {
    if (capacity < 1) throw new IllegalArgumentException("a write-behind cache needs room for at least one entry, got " + capacity);
    this.state = state;
    this.keys = keys;
    this.capacity = capacity;
    this.ttlMillis = ttl.isZero() ? Long.MAX_VALUE : ttl.toMillis();
    this.clock = clock;
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true);
  }

  /** The current key's value, or null; read from the backend only when the key is not cached. */
  public V value() throws IOException {
    @SuppressWarnings("unchecked")
    K key = (K) keys.getCurrentKey();
    Entry<V> e = entries.get(key);
    long now = clock.getAsLong();
    if (e != null) {
      hits++;
      if (now - e.updatedAt > ttlMillis && e.value != null) {
        // Expired: absent from now on, in the backend too at the next write (its own copy may
        // have been written later, at a flush, and would otherwise live on past the time-to-live).
        e.value = null;
        e.dirty = true;
        e.updatedAt = now;
      }
      return e.value;
    }
    misses++;
    V read = state.value();
    // Its age in the backend is unknown here (the backend returns only live values), so a loaded
    // entry's time-to-live counts from its load until its next update.
    entries.put(key, new Entry<>(read, now));
    evictBeyondCapacity();
    return read;
  }

  /** Sets the current key's value (null clears it); the backend sees it at the next flush or eviction. */
  public void update(V value) {
    @SuppressWarnings("unchecked")
    K key = (K) keys.getCurrentKey();
    long now = clock.getAsLong();
    Entry<V> e = entries.get(key);
    if (e == null) {
      e = new Entry<>(value, now);
      entries.put(key, e);
    }
    e.value = value;
    e.updatedAt = now;
    e.dirty = true;
    evictBeyondCapacity();
  }

  /** Writes every changed entry to the backend; they stay cached. Call before each snapshot. */
  public void flush() throws Exception {
    Object current = keys.getCurrentKey();
    try {
      for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
        if (e.getValue().dirty) writeBack(e.getKey(), e.getValue());
      }
    } finally {
      if (current != null) keys.setCurrentKey(current);
    }
  }

  private void evictBeyondCapacity() {
    if (entries.size() <= capacity) return;
    Object current = keys.getCurrentKey();
    try {
      Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
      while (entries.size() > capacity) {
        Map.Entry<K, Entry<V>> e = eldest.next();
        if (e.getValue().dirty) writeBack(e.getKey(), e.getValue());
        eldest.remove();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("writing back an evicted entry of keyed state", ex);
    } finally {
      keys.setCurrentKey(current);
    }
  }

  private void writeBack(K key, Entry<V> e) throws IOException {
    keys.setCurrentKey(key);
    if (e.value == null) state.clear();
    else state.update(e.value);
    e.dirty = false;
    writes++;
  }

  /** Entries cached now. */
  public int size() {
    return entries.size();
  }

  /** Reads answered from the cache so far. */
  public long hits() {
    return hits;
  }

  /** Reads that went to the backend so far. */
  public long misses() {
    return misses;
  }

  /** Values written to the backend so far (at evictions and flushes). */
  public long writes() {
    return writes;
  }
}
