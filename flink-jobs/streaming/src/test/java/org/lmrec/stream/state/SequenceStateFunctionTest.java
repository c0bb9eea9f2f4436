package org.lmrec.stream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.experiment.ArmAssigner;
import org.lmrec.experiment.ExperimentJson;
import org.lmrec.stream.experiment.ExperimentLimits;
import org.lmrec.stream.experiment.ExperimentUpdate;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.stream.scoring.ScoringRequest;

/** The keyed sequence operator on the real RocksDB backend, driven through Flink's operator harness. */
class SequenceStateFunctionTest {
  private KeyedBroadcastOperatorTestHarness<String, Interaction, ExperimentUpdate, ScoringRequest> harness;

  private static KeyedBroadcastOperatorTestHarness<String, Interaction, ExperimentUpdate, ScoringRequest> open(
      int capacity, Duration ttl, List<String> types, OperatorSubtaskState restore) throws Exception {
    return open(capacity, ttl, types, Duration.ZERO, restore);
  }

  private static KeyedBroadcastOperatorTestHarness<String, Interaction, ExperimentUpdate, ScoringRequest> open(
      int capacity, Duration ttl, List<String> types, Duration dedupHorizon, OperatorSubtaskState restore) throws Exception {
    return open(capacity, ttl, types, dedupHorizon, restore, 1, 0);
  }

  private static KeyedBroadcastOperatorTestHarness<String, Interaction, ExperimentUpdate, ScoringRequest> open(
      int capacity, Duration ttl, List<String> types, Duration dedupHorizon, OperatorSubtaskState restore, int parallelism, int subtask)
      throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new SequenceStateFunction(capacity, ttl, Duration.ofSeconds(10), types, dedupHorizon),
            List.of(SequenceStateFunction.EXPERIMENTS)),
        (Interaction i) -> i.userId, Types.STRING, 128, parallelism, subtask);
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
    harness.watermark(60_000); // both inputs: the operator's watermark is their minimum
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

  private static KeyedBroadcastOperatorTestHarness<String, Interaction, ExperimentUpdate, ScoringRequest> withDedupHorizon(
      int capacity, Duration horizon, OperatorSubtaskState restore) throws Exception {
    return open(capacity, Duration.ZERO, List.of("ALL"), horizon, restore);
  }

  @Test
  void aRedeliveryOlderThanTheWindowIsRecognisedWithinTheHorizonAndAfterARestore() throws Exception {
    harness = withDedupHorizon(3, Duration.ofHours(1), null);
    harness.setStateTtlProcessingTime(0);
    for (int i = 1; i <= 5; i++) send(event("e" + i, "u", "i" + i, i)); // e1 and e2 leave the window
    send(event("old", "u", "i0", 0)); // older than the whole full window: accepted, never in it
    send(event("e1", "u", "i1", 1)); // redelivered from before the window
    send(event("old", "u", "i0", 0));
    assertThat(histories()).hasSize(6);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = withDedupHorizon(3, Duration.ofHours(1), snapshot);
    harness.setStateTtlProcessingTime(Duration.ofMinutes(50).toMillis());
    send(event("e2", "u", "i2", 2));
    assertThat(histories()).as("still within the hour after e2 left the window").isEmpty();
    harness.setStateTtlProcessingTime(Duration.ofMinutes(70).toMillis());
    send(event("e2", "u", "i2", 2));
    assertThat(histories()).as("past the horizon: a new event as far as the job can tell").hasSize(1);
  }

  @Test
  void withoutAHorizonOnlyTheWindowRecognisesARedelivery() throws Exception {
    harness = withDedupHorizon(3, Duration.ZERO, null);
    for (int i = 1; i <= 5; i++) send(event("e" + i, "u", "i" + i, i));
    send(event("e1", "u", "i1", 1));
    send(event("e5", "u", "i5", 5));
    assertThat(histories()).hasSize(6);
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

  static final String EXPERIMENT = """
      {"id": "rank-v2", "version": 1, "salt": "s-1",
       "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                {"name": "p2rec", "weight": 50, "model": {"line": "p2rec"}}],
       "start": "1970-01-01T00:00:00Z"}
      """;

  private void define(String json, String id) throws Exception {
    ExperimentUpdate u = ExperimentUpdate.of(id, json);
    u.sourceTopic = "experiments";
    harness.processBroadcastElement(u, 0);
  }

  @Test
  void requestsOfUsersInAnExperimentCarryTheirArmAndItsModel() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    send(event("before", "u0", "a", 1)); // no experiment yet
    define(EXPERIMENT, "rank-v2");
    for (int u = 1; u <= 40; u++) send(event("e" + u, "user-" + u, "a", 2));

    List<ScoringRequest> out = harness.extractOutputValues();
    assertThat(out.get(0).experimentId).isNull();
    var experiment = ExperimentJson.parse(EXPERIMENT);
    ArmAssigner assigner = new ArmAssigner();
    java.util.Set<String> arms = new java.util.HashSet<>();
    for (ScoringRequest r : out.subList(1, out.size())) {
      String arm = assigner.arm(experiment, r.userId).orElseThrow();
      assertThat(r.experimentId).isEqualTo("rank-v2");
      assertThat(r.arm).isEqualTo(arm);
      assertThat(r.modelLine).isEqualTo(arm.equals("control") ? "main" : "p2rec");
      assertThat(r.modelVersion).isNull();
      arms.add(arm);
    }
    assertThat(arms).containsExactlyInAnyOrder("control", "p2rec");
  }

  @Test
  void onlyInteractionsOfUsersInARunningExperimentGoToTheOutcomeJoin() throws Exception {
    harness = open(10, Duration.ZERO, List.of("PURCHASE"), null);
    send(event("before", "user-1", "a", 1)); // no experiment yet
    String half = EXPERIMENT.replace("\"start\"", "\"population\": {\"trafficFraction\": 0.5}, \"stop\": \"1970-01-01T00:00:01Z\", \"start\"");
    define(half, "rank-v2");
    var experiment = ExperimentJson.parse(half);
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (int u = 1; u <= 40; u++) {
      send(event("e" + u, "user-" + u, "a", 2, "CLICK")); // not a scored type: still an outcome step
      if (new ArmAssigner().arm(experiment, "user-" + u).isPresent()) expected.add("e" + u);
    }
    send(event("after-stop", "user-1", "b", 1_000));

    assertThat(expected).hasSizeBetween(10, 30);
    // unscored interactions of users in the experiment reach the outcome join through the scorer, as step-only requests
    assertThat(harness.extractOutputValues()).filteredOn(r -> r.stepOnly).allSatisfy(r -> {
      assertThat(r.history).isNull();
      assertThat(r.itemId).isEqualTo("a");
      assertThat(r.experimentId).isNotNull();
    }).extracting(r -> r.eventId).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(harness.getSideOutput(SequenceStateFunction.ACCEPTED)).hasSize(42);
  }

  @Test
  void aRefusedDefinitionIsDeadLetteredOnceNotOncePerSubtask() throws Exception {
    // The definition is broadcast: each of the two subtasks refuses it; only the first reports it.
    for (int subtask = 0; subtask < 2; subtask++) {
      harness = open(10, Duration.ZERO, List.of("ALL"), Duration.ZERO, null, 2, subtask);
      define("{not json", "broken");
      var dead = harness.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS);
      assertThat(dead == null ? 0 : dead.size()).as("subtask " + subtask).isEqualTo(subtask == 0 ? 1 : 0);
      harness.close();
    }
    harness = null;
  }

  @Test
  void aChangeThatWouldMoveUsersIsRefusedAsADeadLetterAndATombstoneEndsTheExperiment() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    define(EXPERIMENT, "rank-v2");
    define(EXPERIMENT.replace("\"version\": 1", "\"version\": 2").replace("\"weight\": 50, \"model\": {\"line\": \"p2rec\"}",
        "\"weight\": 70, \"model\": {\"line\": \"p2rec\"}"), "rank-v2");
    define("{not json", "broken");
    define(EXPERIMENT, "other-key");
    var dead = harness.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS);
    assertThat(dead).hasSize(3);
    assertThat(dead).extracting(r -> r.getValue().getReason().toString())
        .anySatisfy(reason -> assertThat(reason).contains("refused").contains("weight"))
        .anySatisfy(reason -> assertThat(reason).contains("refused"))
        .anySatisfy(reason -> assertThat(reason).contains("'other-key' is not the experiment id"));
    send(event("e1", "user-1", "a", 2));
    assertThat(harness.extractOutputValues().get(0).experimentId).isEqualTo("rank-v2");

    harness.processBroadcastElement(ExperimentUpdate.of("rank-v2", null), 0); // tombstone
    send(event("e2", "user-1", "b", 3));
    assertThat(harness.extractOutputValues().get(1).experimentId).isNull();
  }

  @Test
  void aDefinitionWhoseStopOverflowsEpochMillisIsRefusedAndInteractionsGoOn() throws Exception {
    // Accepted before, this definition threw "long overflow" on every later interaction, restart after restart.
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    define(EXPERIMENT.replace("\"start\"", "\"stop\": \"+300000000-01-01T00:00:00Z\", \"start\""), "rank-v2");
    send(event("e1", "user-1", "a", 2));
    send(event("e2", "user-2", "b", 3));
    assertThat(harness.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS)).singleElement()
        .satisfies(r -> assertThat(r.getValue().getReason().toString()).contains("stop must lie between"));
    assertThat(harness.extractOutputValues()).hasSize(2).allSatisfy(r -> assertThat(r.experimentId).isNull());
  }

  @Test
  void anUnexpectedFailureOnOneRecordIsItsDeadLetterNotATaskFailure() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    Interaction broken = event("bad", "user-1", null, 2); // the validator never lets this through; the operator must still survive it
    broken.sourceOffset = 77;
    send(broken);
    send(event("e2", "user-1", "b", 3));
    assertThat(harness.getSideOutput(SequenceStateFunction.LATE)).singleElement().satisfies(r -> {
      assertThat(r.getValue().getReason().toString()).startsWith("unexpected failure in user sequences: ");
      assertThat(r.getValue().getSourceOffset()).isEqualTo(77);
      assertThat(r.getValue().getErrorClass()).isNotNull();
    });
    assertThat(histories()).containsExactly(List.of("b"));
  }

  @Test
  void aRefusedDefinitionNearTheProducerLimitIsCutToFitADeadLetter() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    String huge = "{\"id\": \"" + "x".repeat(900_000) + "\"}";
    define(huge, "k".repeat(5_000));
    var dead = harness.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS);
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.getValue().getRawValue().remaining()).isEqualTo(org.lmrec.flink.deadletter.DeadLetters.MAX_VALUE_BYTES);
      assertThat(r.getValue().getRawKey().remaining()).isEqualTo(org.lmrec.flink.deadletter.DeadLetters.MAX_KEY_BYTES);
      assertThat(r.getValue().getReason().length()).isLessThan(org.lmrec.flink.deadletter.DeadLetters.MAX_REASON_CHARS + 200);
      assertThat(r.getValue().getReason().toString()).contains("payload cut from").contains("key cut from");
    });
    assertThat(AvroCodec.of(org.lmrec.schema.DeadLetter.class).encode(dead.peek().getValue()).length).isLessThan(1024 * 1024 - 64 * 1024);
  }

  @Test
  void aValidDefinitionLongerThanTheLimitIsRefusedBeforeItIsParsed() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    String padded = EXPERIMENT.replace("\"salt\"", " ".repeat(ExperimentLimits.DEFAULTS.maxDefinitionChars()) + "\"salt\"");
    define(padded, "rank-v2");
    assertThat(harness.getSideOutput(SequenceStateFunction.REFUSED_DEFINITIONS)).singleElement()
        .satisfies(r -> assertThat(r.getValue().getReason().toString()).contains("exceeds the limit of 65536"));
    send(event("e1", "u", "a", 1_000));
    assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.experimentId).isNull());
  }

  @Test
  void aRemovedExperimentStaysRemovedAfterARestoreWhenTheTopicRedeliversAnOlderVersion() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    define(EXPERIMENT, "rank-v2");
    define(EXPERIMENT.replace("\"version\": 1", "\"version\": 2"), "rank-v2");
    harness.processBroadcastElement(ExperimentUpdate.of("rank-v2", null), 0); // tombstone
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(10, Duration.ZERO, List.of("ALL"), snapshot);
    define(EXPERIMENT.replace("\"version\": 1", "\"version\": 2"), "rank-v2"); // redelivered from before the tombstone
    send(event("e1", "user-1", "a", 2));
    assertThat(harness.extractOutputValues().get(0).experimentId).isNull();
    define(EXPERIMENT.replace("\"version\": 1", "\"version\": 3"), "rank-v2"); // a newer version brings it back
    send(event("e2", "user-1", "b", 3));
    assertThat(harness.extractOutputValues().get(1).experimentId).isEqualTo("rank-v2");
  }

  @Test
  void experimentsSurviveASnapshotAndRestore() throws Exception {
    harness = open(10, Duration.ZERO, List.of("ALL"), null);
    define(EXPERIMENT, "rank-v2");
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(10, Duration.ZERO, List.of("ALL"), snapshot);
    send(event("e1", "user-7", "a", 2));
    assertThat(harness.extractOutputValues().get(0).experimentId).isEqualTo("rank-v2");
    assertThat(harness.extractOutputValues().get(0).arm)
        .isEqualTo(new ArmAssigner().arm(ExperimentJson.parse(EXPERIMENT), "user-7").orElseThrow());
  }

  /**
   * Savepoints taken before experiments existed: the operator was a one-input keyed operator with
   * the same keyed state. Its state, written here by a one-input operator of that shape, restores
   * into today's operator with the user's window intact.
   */
  @Test
  void stateWrittenByTheEarlierOneInputOperatorRestores() throws Exception {
    OperatorSubtaskState snapshot = writtenByAOneInputOperator(SequenceStateFunction.descriptor(Duration.ofDays(1)));
    harness = open(3, Duration.ofDays(1), List.of("ALL"), snapshot);
    send(event("e3", "u", "c", 3));
    assertThat(histories()).containsExactly(List.of("a", "b", "c"));
  }

  /**
   * Every version before the compact serializer kept the window through Flink's Avro serializer
   * (same name, same time-to-live): that state is migrated on restore, window and hashes intact.
   */
  @Test
  void aWindowTheAvroSerializerWroteIsMigratedOnRestore() throws Exception {
    ValueStateDescriptor<UserSequenceState> avro = new ValueStateDescriptor<>(SequenceStateFunction.STATE_NAME, TypeInformation.of(UserSequenceState.class));
    avro.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
    OperatorSubtaskState snapshot = writtenByAOneInputOperator(avro);

    harness = open(3, Duration.ofDays(1), List.of("ALL"), snapshot);
    send(event("e2", "u", "b", 2)); // a redelivery: its hash came through the migration
    send(event("e3", "u", "c", 3));
    assertThat(histories()).containsExactly(List.of("a", "b", "c"));
    OperatorSubtaskState migrated = harness.snapshot(2, 20);
    harness.close();
    harness = open(3, Duration.ofDays(1), List.of("ALL"), migrated);
    send(event("e4", "u", "d", 4));
    assertThat(histories()).containsExactly(List.of("b", "c", "d"));
  }

  /** User u's window of a (e1) and b (e2), kept by a one-input keyed operator under {@code descriptor}, snapshotted. */
  private static OperatorSubtaskState writtenByAOneInputOperator(ValueStateDescriptor<UserSequenceState> descriptor) throws Exception {
    KeyedProcessFunction<String, Interaction, ScoringRequest> writer = new KeyedProcessFunction<>() {
      private transient ValueState<UserSequenceState> state;

      @Override
      public void open(OpenContext context) {
        state = getRuntimeContext().getState(descriptor);
      }

      @Override
      public void processElement(Interaction e, Context ctx, Collector<ScoringRequest> out) throws Exception {
        UserSequence seq = UserSequence.from(state.value(), 3);
        seq.add(e.itemId, e.eventTime, EventIdHash.of(e.eventId));
        state.update(seq.toState());
      }
    };
    var old = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(writer), (Interaction i) -> i.userId, Types.STRING, 128, 1, 0);
    old.setStateBackend(new EmbeddedRocksDBStateBackend());
    old.setup();
    old.open();
    old.processElement(event("e1", "u", "a", 1), 1);
    old.processElement(event("e2", "u", "b", 2), 2);
    OperatorSubtaskState snapshot = old.snapshot(1, 10);
    old.close();
    return snapshot;
  }
}
