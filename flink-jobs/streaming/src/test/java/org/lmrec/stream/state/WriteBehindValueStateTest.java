package org.lmrec.stream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind cache on the real RocksDB backend, through Flink's operator harness. Commands,
 * keyed by their first letter: {@code "a=7"} updates a's value through the cache, {@code "a?"}
 * emits a's value read through the cache, {@code "a!"} emits what RocksDB itself holds for a.
 */
class WriteBehindValueStateTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private KeyedOneInputStreamOperatorTestHarness<String, String, String> harness;
  private Commands operator;

  private void open(int capacity, Duration ttl, OperatorSubtaskState restore) throws Exception {
    operator = new Commands(capacity, ttl, clock);
    harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, c -> c.substring(0, 1), Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.setup();
    if (restore != null) harness.initializeState(restore);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  private String send(String command) throws Exception {
    int before = harness.extractOutputValues().size();
    harness.processElement(command, 0);
    var out = harness.extractOutputValues();
    return out.size() > before ? out.get(out.size() - 1) : null;
  }

  @Test
  void anUpdateReachesRocksDbOnlyAtTheFlushAndStaysCached() throws Exception {
    open(10, Duration.ZERO, null);
    send("a=1");
    send("b=2");
    assertThat(send("a!")).as("RocksDB before the flush").isEqualTo("null");
    assertThat(send("a?")).isEqualTo("1");
    operator.cache.flush();
    assertThat(send("a!")).isEqualTo("1");
    assertThat(send("b!")).isEqualTo("2");
    assertThat(send("b?")).isEqualTo("2");
    assertThat(operator.cache.misses()).as("no read went to RocksDB").isZero();
    assertThat(operator.cache.writes()).isEqualTo(2);
  }

  @Test
  void theLeastRecentlyUsedEntryIsWrittenBackWhenEvictedAndReadAgainLater() throws Exception {
    open(2, Duration.ZERO, null);
    send("a=1");
    send("b=2");
    send("a?"); // a is now more recent than b
    send("c=3"); // evicts b
    assertThat(operator.cache.size()).isEqualTo(2);
    assertThat(send("b!")).as("b written back on eviction").isEqualTo("2");
    assertThat(send("a!")).as("a still only in the cache").isEqualTo("null");
    assertThat(send("b?")).isEqualTo("2"); // a miss: read back from RocksDB, evicting a
    assertThat(send("a!")).isEqualTo("1");
    assertThat(operator.cache.misses()).isEqualTo(1);
  }

  @Test
  void aSnapshotTakenAfterTheFlushRestoresEveryValue() throws Exception {
    open(10, Duration.ZERO, null);
    send("a=1");
    send("b=2");
    operator.cache.flush();
    send("a=5");
    operator.cache.flush();
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    open(10, Duration.ZERO, snapshot);
    assertThat(send("a?")).isEqualTo("5");
    assertThat(send("b?")).isEqualTo("2");
  }

  @Test
  void aClearedValueIsClearedInRocksDb() throws Exception {
    open(10, Duration.ZERO, null);
    send("a=1");
    operator.cache.flush();
    send("a=");
    operator.cache.flush();
    assertThat(send("a!")).isEqualTo("null");
    assertThat(send("a?")).isEqualTo("null");
  }

  @Test
  void anEntryNotUpdatedForLongerThanTheTimeToLiveReadsAsAbsent() throws Exception {
    open(10, Duration.ofMinutes(1), null);
    send("a=1");
    clock.addAndGet(60_000);
    assertThat(send("a?")).as("exactly the time-to-live: still there").isEqualTo("1");
    operator.cache.flush();
    assertThat(send("a!")).isEqualTo("1");
    clock.addAndGet(1);
    assertThat(send("a?")).isEqualTo("null");
    operator.cache.flush();
    assertThat(send("a!")).as("cleared in RocksDB too, though RocksDB's copy was written later").isEqualTo("null");
  }

  @Test
  void aCacheWithoutRoomIsRefused() {
    assertThatThrownBy(() -> new WriteBehindValueState<String, String>(null, null, 0, Duration.ZERO, () -> 0L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
  }

  /** A keyed operator that runs the commands against the cache and, for "!", against RocksDB itself. */
  private static final class Commands extends AbstractStreamOperator<String> implements OneInputStreamOperator<String, String> {
    private final int capacity;
    private final Duration ttl;
    private final AtomicLong clock;
    private transient ValueState<String> raw;
    transient WriteBehindValueState<String, String> cache;

    Commands(int capacity, Duration ttl, AtomicLong clock) {
      this.capacity = capacity;
      this.ttl = ttl;
      this.clock = clock;
    }

    @Override
    public void open() throws Exception {
      super.open();
      raw = getRuntimeContext().getState(new ValueStateDescriptor<>("values", Types.STRING));
      cache = new WriteBehindValueState<>(raw, this, capacity, ttl, clock::get);
    }

    @Override
    public void processElement(StreamRecord<String> element) throws Exception {
      String c = element.getValue();
      Object key = getCurrentKey();
      switch (c.charAt(1)) {
        case '=' -> cache.update(c.length() > 2 ? c.substring(2) : null);
        case '?' -> output.collect(new StreamRecord<>(String.valueOf(cache.value())));
        case '!' -> output.collect(new StreamRecord<>(String.valueOf(raw.value())));
        default -> throw new IllegalArgumentException(c);
      }
      if (!key.equals(getCurrentKey())) throw new IllegalStateException("the cache left another key current: " + getCurrentKey());
    }
  }
}
