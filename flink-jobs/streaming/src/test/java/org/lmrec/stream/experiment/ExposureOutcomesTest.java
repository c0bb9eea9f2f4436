package org.lmrec.stream.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.PendingExposure;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;

/** The outcome join on the real RocksDB backend, through Flink's operator harness. */
class ExposureOutcomesTest {
  private static final long MINUTE = 60_000L;
  private KeyedOneInputStreamOperatorTestHarness<String, OutcomeInput, ExperimentOutcome> harness;

  /** Horizon: the next 2 interactions within 10 minutes. */
  private static KeyedOneInputStreamOperatorTestHarness<String, OutcomeInput, ExperimentOutcome> open(OperatorSubtaskState restore) throws Exception {
    return open(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), 100), new EmbeddedRocksDBStateBackend(), restore);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, OutcomeInput, ExperimentOutcome> open(
      KeyedProcessFunction<String, OutcomeInput, ExperimentOutcome> function, StateBackend backend, OperatorSubtaskState restore) throws Exception {
    KeyedProcessOperator<String, OutcomeInput, ExperimentOutcome> operator =
        function instanceof ExposureOutcomes outcomes ? new ExposureOutcomesOperator(outcomes) : new KeyedProcessOperator<>(function);
    var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, OutcomeInput::userId, Types.STRING);
    h.setStateBackend(backend);
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  private void interaction(String id, String user, String item, long time) throws Exception {
    harness.processElement(OutcomeInput.step(user, id, item, time), time);
  }

  private void exposure(String trigger, String user, String arm, long time, String... shown) throws Exception {
    harness.processElement(OutcomeInput.exposure(recommendation(trigger, user, arm, time, shown)), time);
  }

  /** The scorer's record for a scored interaction: its step and its exposure together. */
  private void answered(String id, String user, String item, String arm, long time, String... shown) throws Exception {
    harness.processElement(OutcomeInput.answered(recommendation(id, user, arm, time, shown), item, time), time);
  }

  private static Recommendation recommendation(String trigger, String user, String arm, long time, String... shown) {
    List<ScoredItem> items = new ArrayList<>();
    for (String s : shown) items.add(new ScoredItem(s, 1f));
    return Recommendation.newBuilder().setTriggeringEventId(trigger).setUserId(user).setItems(items).setModelVersion("v-" + arm)
        .setExperimentId("exp").setExperimentArm(arm).setProducedAt(Instant.ofEpochMilli(time)).setLatencyMillis(7L).build();
  }

  @Test
  void anAnsweredInteractionCountsAsItsStepAndItsExposureAsIfTheyCameApart() throws Exception {
    harness = open(null);
    answered("e1", "u", "a", "control", 0, "x", "b", "c");
    answered("e2", "u", "b", "control", MINUTE, "c", "d");
    assertThat(outcomes()).as("one of e1's two events in").isEmpty();
    answered("e3", "u", "z", "control", 2 * MINUTE, "q");
    List<ExperimentOutcome> together = new ArrayList<>(outcomes());
    harness.close();

    harness = open(null);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0, "x", "b", "c");
    interaction("e2", "u", "b", MINUTE);
    exposure("e2", "u", "control", MINUTE, "c", "d");
    interaction("e3", "u", "z", 2 * MINUTE);
    exposure("e3", "u", "control", 2 * MINUTE, "q");
    assertThat(together).hasSize(1).isEqualTo(outcomes());
    assertThat(together.get(0).getTriggeringEventId()).isEqualTo("e1");
    assertThat(together.get(0).getReciprocalRank()).isEqualTo(0.5); // b, shown second, came next
    assertThat(together.get(0).getEventsSeen()).isEqualTo(2);
  }

  private List<ExperimentOutcome> outcomes() {
    return harness.extractOutputValues();
  }

  @Test
  void anExposureThatCannotBeJoinedIsADeadLetterAndTheUsersOtherExposuresGoOn() throws Exception {
    harness = open(null);
    Recommendation broken = Recommendation.newBuilder().setTriggeringEventId("e0").setUserId("u").setItems(new ArrayList<>()).setModelVersion("v")
        .setExperimentId("exp").setExperimentArm("control").setProducedAt(Instant.ofEpochMilli(0)).setLatencyMillis(7L).build();
    broken.setItems(null); // what the scorer never emits; the join must survive it all the same
    harness.processElement(OutcomeInput.exposure(broken), 0);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0, "b");
    interaction("e2", "u", "b", MINUTE);
    interaction("e3", "u", "c", 2 * MINUTE);
    assertThat(outcomes()).singleElement().satisfies(o -> assertThat(o.getTriggeringEventId()).isEqualTo("e1"));
    assertThat(harness.getSideOutput(ExposureOutcomes.FAILED)).singleElement().satisfies(r -> {
      assertThat(r.getValue().getReason().toString()).startsWith("unexpected failure in exposure outcomes: ");
      assertThat(new String(r.getValue().getRawKey().array(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("u");
    });
  }

  @Test
  void anExposureClosesAfterTheHorizonsEventsWithHitAndReciprocalRank() throws Exception {
    harness = open(null);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0, "x", "b", "c");
    interaction("e2", "u", "b", MINUTE);
    assertThat(outcomes()).isEmpty(); // one of two events in
    interaction("e3", "u", "z", 2 * MINUTE);

    assertThat(outcomes()).hasSize(1);
    ExperimentOutcome o = outcomes().get(0);
    assertThat(o.getHit()).isTrue();
    assertThat(o.getReciprocalRank()).isEqualTo(0.5); // b was shown second
    assertThat(o.getEventsSeen()).isEqualTo(2);
    assertThat(o.getExperimentArm()).isEqualTo("control");
    assertThat(o.getModelVersion()).isEqualTo("v-control");
    assertThat(o.getTriggerTime()).isEqualTo(Instant.EPOCH);
    assertThat(o.getShownItems()).containsExactly("x", "b", "c");
    assertThat(o.getLatencyMillis()).isEqualTo(7L);
    assertThat(o.getFirstExposureOfUser()).isTrue();
  }

  @Test
  void interactionsThatOvertookTheExposureStillCount() throws Exception {
    harness = open(null);
    interaction("e1", "u", "a", 0);
    interaction("e2", "u", "c", MINUTE); // reaches the join before the recommendation of e1
    interaction("e3", "u", "d", 2 * MINUTE);
    exposure("e1", "u", "candidate", 0, "c", "d");

    assertThat(outcomes()).singleElement().satisfies(o -> {
      assertThat(o.getHit()).isTrue();
      assertThat(o.getReciprocalRank()).isEqualTo(1.0);
      assertThat(o.getEventsSeen()).isEqualTo(2);
    });
  }

  @Test
  void aUserWhoDoesNothingMoreClosesWhenTheWatermarkPassesTheHorizon() throws Exception {
    harness = open(null);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0, "x");
    interaction("e2", "u", "q", MINUTE);
    harness.processWatermark(new Watermark(10 * MINUTE - 1)); // an interaction at 10 min could still come
    assertThat(outcomes()).isEmpty();
    harness.processWatermark(new Watermark(10 * MINUTE));

    assertThat(outcomes()).singleElement().satisfies(o -> {
      assertThat(o.getHit()).isFalse();
      assertThat(o.getReciprocalRank()).isZero();
      assertThat(o.getEventsSeen()).isEqualTo(1);
    });
  }

  /** One timer per user at the first open horizon's end, moved on as it fires, and every horizon still closes on time. */
  @Test
  void aUserHasOneTimerAndEachHorizonStillClosesWhenTheWatermarkPassesIt() throws Exception {
    harness = open(null);
    for (int k = 0; k < 3; k++) exposure("e" + k, "u", "control", k * MINUTE, "x"); // no later interactions: each closes by time
    assertThat(harness.numEventTimeTimers()).as("timers for 3 open exposures").isEqualTo(1);
    for (int k = 0; k < 3; k++) {
      harness.processWatermark(new Watermark((10 + k) * MINUTE - 1));
      assertThat(outcomes()).as("before the horizon of e%d ends", k).hasSize(k);
      harness.processWatermark(new Watermark((10 + k) * MINUTE));
      assertThat(outcomes()).as("once the horizon of e%d has ended", k).hasSize(k + 1);
      assertThat(outcomes().get(k).getTriggeringEventId()).isEqualTo("e" + k);
    }
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void theFirstExposureOfAUserIsMarkedOncePerExperimentAndEmptyListsAreNeverHits() throws Exception {
    harness = open(null);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0);
    interaction("e2", "u", "b", MINUTE);
    exposure("e2", "u", "control", MINUTE, "a");
    interaction("e3", "u", "c", 2 * MINUTE);
    interaction("e4", "u", "a", 3 * MINUTE);

    assertThat(outcomes()).extracting(ExperimentOutcome::getTriggeringEventId).containsExactly("e1", "e2");
    assertThat(outcomes()).extracting(ExperimentOutcome::getFirstExposureOfUser).containsExactly(true, false);
    assertThat(outcomes()).extracting(ExperimentOutcome::getEmptyList).containsExactly(true, false);
    assertThat(outcomes()).extracting(ExperimentOutcome::getHit).containsExactly(false, true);
  }

  @Test
  void openExposuresAndRecentInteractionsSurviveARestore() throws Exception {
    harness = open(null);
    interaction("e1", "u", "a", 0);
    exposure("e1", "u", "control", 0, "b");
    interaction("e2", "u", "b", MINUTE);
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(snapshot);
    exposure("e1", "u", "control", 0, "b"); // re-emitted by the scorer after the restart: ignored
    interaction("e3", "u", "z", 2 * MINUTE);
    assertThat(outcomes()).singleElement().satisfies(o -> {
      assertThat(o.getHit()).isTrue();
      assertThat(o.getFirstExposureOfUser()).isTrue();
    });
    exposure("e2", "u", "control", MINUTE, "z");
    harness.processWatermark(new Watermark(11 * MINUTE + 1));
    assertThat(outcomes()).hasSize(2);
    assertThat(outcomes().get(1).getFirstExposureOfUser()).isFalse(); // enrolment survived the restore
    assertThat(outcomes().get(1).getHit()).isTrue(); // e3 (z) was kept for it
  }

  /** Without its operator the cache would never reach a checkpoint: the function refuses to open. */
  @Test
  void theFunctionRefusesToRunOutsideItsOperator() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), 100)),
        OutcomeInput::userId, Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.setup();
    org.assertj.core.api.Assertions.assertThatThrownBy(harness::open)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ExposureOutcomesOperator");
  }

  /**
   * Three users interleaved, with a snapshot and restore half-way: a cache of one user (every
   * switch of user evicts, so every event reads and writes RocksDB) and a cache that holds them
   * all (RocksDB sees them at the snapshot only) give the same outcomes.
   */
  @Test
  void outcomesAreTheSameWhetherUsersStayCachedOrAreEvictedOnEveryEvent() throws Exception {
    List<List<ExperimentOutcome>> runs = new ArrayList<>();
    for (int cacheUsers : new int[] {1, 100}) {
      harness = open(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), cacheUsers), new EmbeddedRocksDBStateBackend(), null);
      List<ExperimentOutcome> all = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        if (k == 4) {
          all.addAll(outcomes());
          OperatorSubtaskState snapshot = harness.snapshot(1, 10);
          harness.close();
          harness = open(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), cacheUsers), new EmbeddedRocksDBStateBackend(), snapshot);
        }
        for (String user : List.of("u1", "u2", "u3")) {
          String item = "i" + ((k + user.hashCode()) % 3);
          answered(user + "-e" + k, user, item, k % 2 == 0 ? "control" : "candidate", k * MINUTE, "i0", "i1");
        }
      }
      harness.processWatermark(new Watermark(30 * MINUTE));
      all.addAll(outcomes());
      harness.close();
      harness = null;
      runs.add(all);
    }
    assertThat(runs.get(0)).as("every exposure closed once: 8 per user").hasSize(24);
    assertThat(runs.get(0)).containsExactlyInAnyOrderElementsOf(runs.get(1));
  }

  /**
   * State written the way every version before the compact serializer wrote it (Flink's Avro
   * serializer, same name and time-to-live) is migrated on restore and joined on, on both backends.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rocksdb", "hashmap"})
  void stateTheAvroSerializerWroteIsMigratedOnRestore(String backend) throws Exception {
    ExposureOutcomeState before = new ExposureOutcomeState(
        new ArrayList<>(List.of(new PendingExposure("exp", "control", "v-control", "e1", 0L, List.of("x", "b"), 7L, true))),
        new ArrayList<>(List.of("e1")), new ArrayList<>(List.of("a")), new ArrayList<>(List.of(0L)), new ArrayList<>(List.of("exp")));
    harness = open(new AvroStateWriter(before), backend(backend), null);
    interaction("e1", "u", "a", 0);
    OperatorSubtaskState snapshot = harness.snapshot(1, 10);
    harness.close();

    harness = open(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), 100), backend(backend), snapshot);
    exposure("e1", "u", "control", 0, "x", "b"); // the scorer's re-emission: the migrated pending exposure knows it
    interaction("e2", "u", "b", MINUTE);
    interaction("e3", "u", "z", 2 * MINUTE);
    assertThat(outcomes()).singleElement().satisfies(o -> {
      assertThat(o.getTriggeringEventId()).isEqualTo("e1");
      assertThat(o.getHit()).isTrue();
      assertThat(o.getReciprocalRank()).isEqualTo(0.5);
      assertThat(o.getFirstExposureOfUser()).isTrue();
      assertThat(o.getLatencyMillis()).isEqualTo(7L);
    });
    exposure("e3", "u", "control", 2 * MINUTE, "q");
    interaction("e4", "u", "q", 3 * MINUTE);
    interaction("e5", "u", "r", 4 * MINUTE);
    assertThat(outcomes()).hasSize(2);
    assertThat(outcomes().get(1).getFirstExposureOfUser()).as("the enrolment was migrated too").isFalse();
    OperatorSubtaskState migrated = harness.snapshot(2, 20); // and the migrated state snapshots in the new form
    harness.close();
    harness = open(new ExposureOutcomes(2, Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1), 100), backend(backend), migrated);
    exposure("e5", "u", "control", 4 * MINUTE, "s");
    interaction("e6", "u", "s", 5 * MINUTE);
    interaction("e7", "u", "t", 6 * MINUTE);
    assertThat(outcomes()).singleElement().satisfies(o -> assertThat(o.getFirstExposureOfUser()).isFalse());
  }

  private static StateBackend backend(String name) {
    return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
  }

  /** Writes one fixed state for the user of each interaction, with the descriptor of earlier versions. */
  private static final class AvroStateWriter extends KeyedProcessFunction<String, OutcomeInput, ExperimentOutcome> {
    private final ExposureOutcomeState value;
    private transient ValueState<ExposureOutcomeState> state;

    AvroStateWriter(ExposureOutcomeState value) {
      this.value = value;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      ValueStateDescriptor<ExposureOutcomeState> d = new ValueStateDescriptor<>(ExposureOutcomes.STATE_NAME, TypeInformation.of(ExposureOutcomeState.class));
      d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
      state = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(OutcomeInput in, Context ctx, Collector<ExperimentOutcome> out) throws Exception {
      if (!in.isExposure()) state.update(value);
    }
  }
}
