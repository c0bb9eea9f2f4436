package org.lmrec.stream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.stream.ingest.Interaction;
import org.lmrec.stream.scoring.ScoringRequest;

/** The keyed sequence operator on the real RocksDB backend, driven through Flink's operator harness. */
class SequenceStateFunctionTest {
  private KeyedOneInputStreamOperatorTestHarness<String, Interaction, ScoringRequest> harness;

  private static KeyedOneInputStreamOperatorTestHarness<String, Interaction, ScoringRequest> open(
      int capacity, Duration ttl, List<String> types, OperatorSubtaskState restore) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new SequenceStateFunction(capacity, ttl, Duration.ofSeconds(10), types)),
        (Interaction i) -> i.userId, Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    return h;
  }

  static Interaction event(String id, String user, String item, long time, String type) {
    Interaction i = new Interaction();
    i.eventId = id;
    i.userId = user;
    i.itemId = item;
    i.eventTime = time;
    i.eventType = type;
    i.receivedAt = 1;
    i.sourceTopic = "t";
    return i;
  }

  static Interaction event(String id, String user, String item, long time) {
    return event(id, user, item, time, "CLICK");
  }

  private void send(Interaction i) throws Exception {
    harness.processElement(i, i.eventTime);
  }

  private List<List<String>> histories() {
    return harness.extractOutputValues().stream().map(r -> List.of(r.history)).toList();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  @Test
  void eachAcceptedEventAsksForARecommendationWithTheUsersWindow() throws Exception {
    harness = open(3, Duration.ZERO, List.of("ALL"), null);
    send(event("e1", "u1", "a", 100));
    send(event("e2", "u2", "x", 100));
    send(event("e3", "u1", "b", 200));
    send(event("e4", "u1", "c", 300));
    send(event("e5", "u1", "d", 400));

    assertThat(histories()).containsExactly(
        List.of("a"), List.of("x"), List.of("a", "b"), List.of("a", "b", "c"), List.of("b", "c", "d"));
    ScoringRequest last = harness.extractOutputValues().get(4);
    assertThat(last.userId).isEqualTo("u1");
    assertThat(last.eventId).isEqualTo("e5");
    assertThat(harness.getSideOutput(SequenceStateFunction.ACCEPTED)).hasSize(5);
  }

  @Test
  void duplicatesAreIgnoredAndOutOfOrderEventsInsertedInOrder() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    send(event("e1", "u", "a", 100));
    send(event("e3", "u", "c", 300));
    send(event("e1", "u", "a", 100)); // redelivery
    send(event("e2", "u", "b", 200)); // out of order, within lateness

    assertThat(histories()).containsExactly(List.of("a"), List.of("a", "c"), List.of("a", "b", "c"));
    assertThat(harness.getSideOutput(SequenceStateFunction.ACCEPTED)).hasSize(3);
  }

  @Test
  void eventsBeyondTheAllowedLatenessBecomeDeadLettersAndLeaveStateAlone() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    send(event("e1", "u", "a", 60_000));
    harness.processWatermark(60_000);
    send(event("e2", "u", "ok-late", 55_000)); // 5 s behind the watermark: allowed (10 s)
    send(event("e3", "u", "too-late", 40_000)); // 20 s behind

    assertThat(histories()).containsExactly(List.of("a"), List.of("ok-late", "a"));
    var late = harness.getSideOutput(SequenceStateFunction.LATE);
    assertThat(late).hasSize(1);
    var dead = late.peek().getValue();
    assertThat(dead.getReason()).contains("late").contains("20000 ms behind the watermark");
    InteractionEvent original = AvroCodec.of(InteractionEvent.class).decode(dead.getRawValue().array());
    assertThat(original.getItemId()).isEqualTo("too-late");
  }

  @Test
  void onlyConfiguredEventTypesTriggerScoringButAllEnterTheWindow() throws Exception {
    harness = open(10, Duration.ZERO, List.of("purchase"), null);
    send(event("e1", "u", "a", 1, "VIEW"));
    send(event("e2", "u", "b", 2, "PURCHASE"));
    assertThat(histories()).containsExactly(List.of("a", "b"));
  }

  @Test
  void stateOfInactiveUsersExpires() throws Exception {
    harness = open(10, Duration.ofMinutes(30), List.of("ALL"), null);
    harness.setStateTtlProcessingTime(0);
    send(event("e1", "idle", "a", 1));
    send(event("e2", "active", "x", 1));
    harness.setStateTtlProcessingTime(Duration.ofMinutes(20).toMillis());
    send(event("e3", "active", "y", 2));
    harness.setStateTtlProcessingTime(Duration.ofMinutes(45).toMillis());
    send(event("e4", "idle", "b", 3)); // 45 min idle > 30 min TTL: starts afresh
    send(event("e5", "active", "z", 3)); // written 25 min ago: still there

    assertThat(histories()).containsExactly(List.of("a"), List.of("x"), List.of("x", "y"), List.of("b"), List.of("x", "y", "z"));
  }

  @Test
  void stateSurvivesASnapshotAndRestore() throws Exception {
    harness = open(3, Duration.ofDays(1), List.of("ALL"), null);
    send(event("e1", "u", "a", 1));
    send(event("e2", "u", "b", 2));
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(3, Duration.ofDays(1), List.of("ALL"), snapshot);
    send(event("e2", "u", "b", 2)); // redelivered after the restore: still recognised
    send(event("e3", "u", "c", 3));
    assertThat(histories()).containsExactly(List.of("a", "b", "c"));
  }
}
