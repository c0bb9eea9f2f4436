package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.lmrec.stream.scoring.ScoringOperator.OUTCOME_INPUTS;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.experiment.OutcomeInput;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.replay.ModelRouting;
import org.lmrec.stream.replay.ReplayScoringOperator;

@Timeout(120) // a load that never finishes fails its test instead of hanging the build
class ScoringOperatorTest {
  static final int ITEMS = 60;
  @TempDir static Path root;
  static ModelArtifact v1;
  static ModelArtifact v2;

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> harness;

  @BeforeAll
  static void models() {
    v1 = TestModels.write(root, "v1", ModelKind.SASREC, ITEMS, 1);
    v2 = TestModels.write(root, "v2", ModelKind.GRU4REC, ITEMS, 2);
  }

  private static TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> open(
      ModelPointer initial, int batchSize, OperatorSubtaskState restore) throws Exception {
    var h = new TwoInputStreamOperatorTestHarness<>(new ScoringOperator(initial, 5, batchSize, 20));
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    return h;
  }

  /** Runs the harness task's mails (the finished loads' swaps) until no model is loading. */
  static void awaitLoads(TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> h) throws Exception {
    ScoringOperator op = (ScoringOperator) h.getOperator();
    while (op.loadsPending()) h.getTaskMailbox().take(org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox.MIN_PRIORITY).run();
  }

  private void awaitLoads() throws Exception {
    awaitLoads(harness);
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  static ScoringRequest request(String eventId, String... history) {
    return new ScoringRequest("user-" + eventId, eventId, 1000, System.currentTimeMillis(), history);
  }

  private List<Recommendation> out() {
    return harness.extractOutputValues();
  }

  private static List<String> ids(Recommendation r) {
    return r.getItems().stream().map(ScoredItem::getItemId).toList();
  }

  private static List<String> expected(ModelArtifact a, int... history) {
    ServingModel m = ServingModel.fromArtifact(ArtifactReader.load(a.dir()));
    return java.util.Arrays.stream(m.recommend(history, 5)).mapToObj(m::itemId).toList();
  }

  @Test
  void scoresInMicroBatchesBySizeAndByTime() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 3, null);
    harness.setProcessingTime(0);
    harness.processElement1(request("e1", "item-1", "item-2"), 1);
    harness.processElement1(request("e2", "item-3"), 1);
    assertThat(out()).as("batch not full, delay not reached").isEmpty();
    harness.processElement1(request("e3", "item-4", "ghost", "item-5"), 1);
    assertThat(out()).as("batch of 3 full").hasSize(3);

    harness.processElement1(request("e4", "item-9"), 1);
    harness.setProcessingTime(19);
    assertThat(out()).hasSize(3);
    harness.setProcessingTime(20);
    assertThat(out()).as("max delay reached").hasSize(4);

    Recommendation r3 = out().get(2);
    assertThat(r3.getTriggeringEventId()).isEqualTo("e3");
    assertThat(r3.getUserId()).isEqualTo("user-e3");
    assertThat(r3.getModelVersion()).isEqualTo("v1");
    assertThat(r3.getLatencyMillis()).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(ids(r3)).hasSize(5).doesNotContain("item-4", "item-5").isEqualTo(expected(v1, 4, 5));
    assertThat(ids(out().get(0))).isEqualTo(expected(v1, 1, 2));
  }

  @Test
  void usersInAnExperimentHandTheOutcomeJoinAnUnscoredStepOnArrivalAndAScoredOneWithItsExposure() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 3, null);
    harness.setProcessingTime(0);
    ScoringRequest scored = request("e1", "item-1", "item-2").inArm("exp", "control", ServedModels.DEFAULT_LINE, null);
    scored.itemId = "item-2";
    harness.processElement1(scored, 5);
    harness.processElement1(ScoringRequest.stepOnly("user-e1", "e2", "item-7", 6, System.currentTimeMillis(), "exp"), 6);
    harness.processElement1(request("e3", "item-3"), 7); // no experiment: nothing for the join
    var joined = harness.getSideOutput(OUTCOME_INPUTS);
    assertThat(joined).as("an unscored step goes on as it arrives; the scored one waits for its answer").extracting(r -> r.getValue().toString())
        .containsExactly("step user-e1/e2 item item-7 at 6");
    assertThat(out()).isEmpty();
    harness.setProcessingTime(20);
    assertThat(out()).as("the step-only request is not scored").extracting(Recommendation::getTriggeringEventId).containsExactly("e1", "e3");
    assertThat(joined).hasSize(2);
    OutcomeInput answered = joined.stream().skip(1).findFirst().orElseThrow().getValue();
    assertThat(answered.isExposure()).isTrue();
    assertThat(answered.hasStep()).as("one record, so the join touches the user's state once for both").isTrue();
    assertThat(answered.exposureRecord()).isEqualTo(out().get(0));
    assertThat(answered.toString()).startsWith("step user-e1/e1 item item-2 at 1000 and exposure ");
    assertThat(joined.stream().skip(1).findFirst().orElseThrow().getTimestamp()).isEqualTo(1000);
  }

  @Test
  void aWatermarkAnswersTheWaitingBatchBeforeItMovesOn() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 3, null);
    harness.setProcessingTime(0);
    ScoringRequest scored = request("e1", "item-1", "item-2").inArm("exp", "control", ServedModels.DEFAULT_LINE, null);
    harness.processElement1(scored, 5);
    assertThat(harness.getSideOutput(OUTCOME_INPUTS)).isNull();
    harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2000));
    List<Object> emitted = new ArrayList<>(harness.getOutput());
    assertThat(emitted).as("the answer, then the watermark: the join's step must not come after a watermark past it").hasSize(2);
    assertThat(emitted.get(0)).isInstanceOf(StreamRecord.class);
    assertThat(emitted.get(1)).isEqualTo(new org.apache.flink.streaming.api.watermark.Watermark(2000));
    assertThat(harness.getSideOutput(OUTCOME_INPUTS)).hasSize(1);
  }

  @Test
  void withHnswTopKSearchEachLoadedModelIsServedFromItsGraph() throws Exception {
    // efSearch 100 covers all 60 items, so the graph's answer must be the exact one.
    var h = new TwoInputStreamOperatorTestHarness<>(new ScoringOperator(TestModels.pointer(v1, 1), ModelLimits.unrestricted(), ModelLoading.defaults(),
        5, 2, 20, org.lmrec.stream.rerank.RerankSettings.off(), org.lmrec.serving.TopKSearch.hnsw(org.lmrec.serving.HnswItemIndex.Params.defaults())));
    harness = h;
    h.setup();
    h.open();
    awaitLoads();
    assertThat(((ScoringOperator) h.getOperator()).servedModel().model().hnswIndex()).as("the graph was built at load").isNotNull()
        .satisfies(index -> assertThat(index.numItems()).isEqualTo(ITEMS));
    h.processElement1(request("e1", "item-1", "item-2"), 1);
    h.processElement1(request("e2", "item-4", "item-5"), 1);
    assertThat(out()).hasSize(2);
    assertThat(ids(out().get(0))).hasSize(5).doesNotContain("item-1", "item-2").isEqualTo(expected(v1, 1, 2));
    assertThat(ids(out().get(1))).isEqualTo(expected(v1, 4, 5));
  }

  @Test
  void aRequestThatCannotBeScoredIsADeadLetterAndTheRestOfItsBatchIsAnswered() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 3, null);
    harness.processElement1(request("e1", "item-1"), 1);
    harness.processElement1(new ScoringRequest("user-bad", "bad", 1000, System.currentTimeMillis(), null), 1); // no history at all
    harness.processElement1(request("e3", "item-3"), 1);
    assertThat(out()).extracting(Recommendation::getTriggeringEventId).containsExactly("e1", "e3");
    assertThat(harness.getSideOutput(ScoringOperator.FAILED)).singleElement().satisfies(r -> {
      assertThat(r.getValue().getReason().toString()).startsWith("unexpected failure in scorer: ");
      assertThat(new String(r.getValue().getRawValue().array(), java.nio.charset.StandardCharsets.UTF_8)).contains("triggered by event bad");
      assertThat(r.getValue().getSourceTopic()).isEqualTo("(internal) scorer");
    });
  }

  @Test
  void modelsBeyondTheCapAndArtifactsLargerThanTheCapAreRefused() throws Exception {
    // One model besides the default line's: a second line is refused, and keeps no model.
    var h = new TwoInputStreamOperatorTestHarness<>(new ScoringOperator(TestModels.pointer(v1, 1),
        new ModelLimits(ArtifactRoots.unrestricted(), 1, Long.MAX_VALUE), 5, 100, 20));
    harness = h;
    h.setup();
    h.open();
    h.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 2, "candidate"), 1);
    h.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 3, "another"), 1);
    awaitLoads();
    h.processElement1(request("a", "item-1").inArm("exp-1", "treatment", "candidate", null), 1);
    h.processElement1(request("b", "item-1").inArm("exp-2", "treatment", "another", null), 1);
    h.endInput1();
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v2", "v1");
    assertThat(out().get(1).getExperimentId()).as("no model for the refused line: default model, no exposure").isNull();
    h.close();

    // An artifact larger than the cap is refused before any file is read; the initial model then serves nothing.
    long size;
    try (var files = Files.walk(v2.dir())) {
      size = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    ModelLimits small = new ModelLimits(ArtifactRoots.unrestricted(), 4, size - 1);
    assertThatThrownBy(() -> ModelLoader.load(TestModels.pointer(v2, 1), small))
        .isInstanceOf(ModelLoader.ModelRefusedException.class).hasMessageContaining("the cap (lmrec.models.max-artifact-bytes)");
    assertThat(ModelLoader.load(TestModels.pointer(v2, 1), new ModelLimits(ArtifactRoots.unrestricted(), 4, size)).version()).isEqualTo("v2");
    harness = null;
  }

  @Test
  void aCheckpointNeverLeavesARequestOnlyInMemory() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 100, null);
    harness.processElement1(request("e1", "item-1"), 1);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(out()).hasSize(1);
  }

  @Test
  void swapsToAnAnnouncedModelAndScoresEarlierRequestsWithTheOldOne() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 100, null);
    harness.processElement1(request("before", "item-1", "item-2"), 1);
    harness.processElement2(TestModels.pointer(v2, 2), 1);
    awaitLoads();
    harness.processElement1(request("after", "item-1", "item-2"), 1);
    harness.endInput1();

    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v1", "v2");
    assertThat(ids(out().get(1))).isEqualTo(expected(v2, 1, 2));
    // one lmrecServingModel gauge per version served (v1 reads 0 now, MetricsScrapeITCase reads them)
    assertThat(((ScoringOperator) harness.getOperator()).versionsWithGauge()).containsExactlyInAnyOrder("v1", "v2");
  }

  @Test
  void refusesACorruptArtifactAndKeepsServingTheOldModel() throws Exception {
    Path corrupt = root.resolve("corrupt-copy");
    copy(v2.dir(), corrupt);
    Path weights;
    try (var files = Files.walk(corrupt.resolve("weights"))) {
      weights = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x01; // one flipped bit
    Files.write(weights, bytes);

    harness = open(TestModels.pointer(v1, 1), 100, null);
    ScoringOperator op = (ScoringOperator) harness.getOperator();
    // Each waited for: a newer announcement would supersede the one still loading.
    harness.processElement2(new ModelPointer("v2", corrupt.toUri().toString(), v2.manifestSha256(), 2), 1);
    awaitLoads();
    harness.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), anotherSha256(v2.manifestSha256()), 3), 1);
    awaitLoads();
    harness.processElement2(new ModelPointer("v3", v2.dir().toUri().toString(), v2.manifestSha256(), 4), 1); // names another version
    awaitLoads();
    harness.processElement2(new ModelPointer("v9", root.resolve("missing").toUri().toString(), "", 5), 1);
    awaitLoads();
    assertThat(op.refusalCount()).isEqualTo(4);
    assertThat(op.loadFailureCount()).as("each refused at load, not at announcement").isEqualTo(4);
    harness.processElement1(request("e1", "item-1"), 1);
    harness.endInput1();

    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v1");
    assertThat(((ScoringOperator) harness.getOperator()).servingVersion()).isEqualTo("v1");
  }

  @Test
  void aRestoredOperatorServesTheModelItServedBefore() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 100, null);
    harness.processElement2(TestModels.pointer(v2, 2), 1);
    awaitLoads();
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = open(TestModels.pointer(v1, 1), 100, snapshot);
    harness.processElement1(request("e1", "item-3"), 1);
    harness.endInput1();
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v2");
  }

  @Test
  void aPointerOlderThanItsLinesNewestIsRefusedUnlessItIsARollbackAnnouncedLater() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 100, null);
    ScoringOperator scorer = (ScoringOperator) harness.getOperator();
    harness.processElement2(TestModels.pointer(v2, 20), 1);
    awaitLoads();
    assertThat(scorer.servingVersion()).isEqualTo("v2");

    // A replay of v1's announcement (signed once, so its signature still verifies) is refused.
    harness.processElement2(TestModels.pointer(v1, 10), 1);
    assertThat(scorer.servingVersion()).isEqualTo("v2");
    assertThat(scorer.refusalCount()).isEqualTo(1);
    // The same holds in another line, whose own order is kept apart from the default line's.
    harness.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 30, "candidate"), 1);
    awaitLoads();
    harness.processElement2(new ModelPointer("v1", v1.dir().toUri().toString(), v1.manifestSha256(), 25, "candidate"), 1);
    assertThat(scorer.refusalCount()).isEqualTo(2);

    // A rollback to v1 carries the time of the rollback: it is accepted.
    harness.processElement2(TestModels.pointer(v1, 40), 1);
    awaitLoads();
    assertThat(scorer.servingVersion()).isEqualTo("v1");
    assertThat(scorer.refusalCount()).isEqualTo(2);

    // After a restore, v2's old announcement is still older than the rollback, and the candidate line
    // still refuses v1's older one.
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = open(TestModels.pointer(v2, 2), 100, snapshot);
    awaitLoads(); // the candidate line loads in the background
    scorer = (ScoringOperator) harness.getOperator();
    assertThat(scorer.servingVersion()).isEqualTo("v1");
    harness.processElement2(TestModels.pointer(v2, 20), 1);
    harness.processElement2(new ModelPointer("v1", v1.dir().toUri().toString(), v1.manifestSha256(), 25, "candidate"), 1);
    assertThat(scorer.servingVersion()).isEqualTo("v1");
    assertThat(scorer.refusalCount()).isEqualTo(2);
    harness.processElement1(request("e1", "item-3"), 1);
    harness.processElement1(request("e2", "item-3").inArm("exp-1", "treatment", "candidate", null), 1);
    harness.endInput1();
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v1", "v2");
  }

  @Test
  void theOrderComesBackFromStateEvenWhenTheRestoredModelCannotBeLoaded() throws Exception {
    Path copy = root.resolve("v2-gone-after-snapshot");
    copy(v2.dir(), copy);
    harness = open(TestModels.pointer(v1, 1), 100, null);
    harness.processElement2(new ModelPointer("v2", copy.toUri().toString(), v2.manifestSha256(), 20), 1);
    awaitLoads();
    assertThat(((ScoringOperator) harness.getOperator()).servingVersion()).isEqualTo("v2");
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    try (var files = Files.walk(copy)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }

    // The restored pointer no longer loads: the initial model (announced at 1) serves again, but an
    // announcement from before the restored one's time is still refused.
    harness = open(TestModels.pointer(v1, 1), 100, snapshot);
    ScoringOperator scorer = (ScoringOperator) harness.getOperator();
    assertThat(scorer.servingVersion()).isEqualTo("v1");
    harness.processElement2(TestModels.pointer(v2, 10), 1);
    assertThat(scorer.servingVersion()).isEqualTo("v1");
    harness.processElement2(TestModels.pointer(v2, 30), 1);
    awaitLoads();
    assertThat(scorer.servingVersion()).isEqualTo("v2");
  }

  @Test
  void withoutAnyModelRequestsAreAnsweredEmptyNotDropped() throws Exception {
    harness = open(null, 100, null);
    harness.processElement1(request("e1", "item-3"), 1);
    harness.endInput1();
    assertThat(out()).hasSize(1);
    assertThat(out().get(0).getItems()).isEmpty();
    assertThat(out().get(0).getModelVersion()).isEqualTo(ScoringOperator.NO_MODEL);
  }

  /**
   * A digest that differs from {@code sha} in its first hex digit. A fixed prefix such as "00" would
   * equal the real one whenever it starts so (1 in 256 runs: the manifest holds its write time).
   */
  private static String anotherSha256(String sha) {
    return (sha.charAt(0) == '0' ? "1" : "0") + sha.substring(1);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> openReplay(ModelRouting routing) throws Exception {
    var h = new TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation>(new ReplayScoringOperator(routing, 5, 2));
    h.setup();
    h.open();
    return h;
  }

  static ScoringRequest at(String eventId, long eventTime, String... history) {
    return new ScoringRequest("user-" + eventId, eventId, eventTime, 0, history);
  }

  @Test
  void asServedScoresEachRequestWithTheModelAnnouncedLastBeforeItsEventTime() throws Exception {
    harness = openReplay(ModelRouting.AS_SERVED);
    // The later model arrives first: the arrival order of pointers must not matter.
    harness.processElement2(TestModels.pointer(v2, 2_000), 0);
    harness.processElement2(TestModels.pointer(v1, 1_000), 0);
    harness.endInput2();
    harness.processElement1(at("before", 999, "item-1"), 0);
    harness.processElement1(at("v1-start", 1_000, "item-1", "item-2"), 0);
    harness.processElement1(at("v1-end", 1_999, "item-3"), 0);
    harness.processElement1(at("v2", 2_000, "item-4"), 0);
    harness.endInput1();
    java.util.Map<String, Recommendation> byEvent = new java.util.HashMap<>();
    for (Recommendation r : out()) byEvent.put(r.getTriggeringEventId(), r);
    assertThat(byEvent.get("before").getModelVersion()).isEqualTo(ScoringOperator.NO_MODEL);
    assertThat(byEvent.get("before").getItems()).isEmpty();
    assertThat(byEvent.get("v1-start").getModelVersion()).isEqualTo("v1");
    assertThat(ids(byEvent.get("v1-start"))).isEqualTo(expected(v1, 1, 2));
    assertThat(byEvent.get("v1-end").getModelVersion()).isEqualTo("v1");
    assertThat(byEvent.get("v2").getModelVersion()).isEqualTo("v2");
    assertThat(ids(byEvent.get("v2"))).isEqualTo(expected(v2, 4));
  }

  @Test
  void sideBySideScoresEveryRequestWithEveryModelAndRefusesRequestsBeforeThePointersEnd() throws Exception {
    harness = openReplay(ModelRouting.SIDE_BY_SIDE);
    harness.processElement2(TestModels.pointer(v1, 0), 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness.processElement1(at("early", 5, "item-1"), 0))
        .hasMessageContaining("look-ahead guard");
    harness.processElement2(TestModels.pointer(v2, 0), 0);
    harness.endInput2();
    harness.processElement1(at("e1", 5, "item-1", "item-2"), 0);
    harness.endInput1();
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactlyInAnyOrder("v1", "v2");
    for (Recommendation r : out()) {
      assertThat(ids(r)).isEqualTo(expected(r.getModelVersion().equals("v1") ? v1 : v2, 1, 2));
    }
  }

  @Test
  void eachExperimentArmIsScoredByItsOwnModelAndItsRecommendationsCarryExperimentAndArm() throws Exception {
    ModelArtifact v3 = TestModels.write(root, "v3", ModelKind.SASREC, ITEMS, 3);
    harness = open(TestModels.pointer(v1, 1), 100, null);
    // v3 served by the default line for a while, then v1 again: v3 stays known for a pinned arm.
    harness.processElement2(TestModels.pointer(v3, 2), 1);
    awaitLoads();
    harness.processElement2(TestModels.pointer(v1, 3), 1);
    awaitLoads();
    harness.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 4, "candidate"), 1);
    awaitLoads();
    // The first request of an arm pinned to a version starts loading it; until it is loaded, the
    // arm's users get the default model and are not counted.
    harness.processElement1(request("pinned-first", "item-1", "item-2").inArm("exp-2", "old", null, "v3"), 1);
    harness.prepareSnapshotPreBarrier(1); // scores the batch
    awaitLoads();

    harness.processElement1(request("outside", "item-1", "item-2"), 1);
    harness.processElement1(request("control", "item-1", "item-2").inArm("exp-1", "control", ScoringOperator.DEFAULT_LINE, null), 1);
    harness.processElement1(request("treatment", "item-1", "item-2").inArm("exp-1", "treatment", "candidate", null), 1);
    harness.processElement1(request("pinned", "item-1", "item-2").inArm("exp-2", "old", null, "v3"), 1);
    harness.processElement1(request("missing", "item-1", "item-2").inArm("exp-3", "ghost", "no-such-line", null), 1);
    harness.endInput1();

    java.util.Map<String, Recommendation> byEvent = new java.util.HashMap<>();
    for (Recommendation r : out()) byEvent.put(r.getTriggeringEventId(), r);
    assertThat(byEvent).hasSize(6);
    assertThat(byEvent.get("pinned-first").getModelVersion()).isEqualTo("v1");
    assertThat(byEvent.get("pinned-first").getExperimentId()).isNull();
    assertThat(byEvent.get("outside").getModelVersion()).isEqualTo("v1");
    assertThat(byEvent.get("outside").getExperimentId()).isNull();
    assertThat(byEvent.get("control").getModelVersion()).isEqualTo("v1");
    assertThat(byEvent.get("control").getExperimentId()).isEqualTo("exp-1");
    assertThat(byEvent.get("control").getExperimentArm()).isEqualTo("control");
    assertThat(byEvent.get("treatment").getModelVersion()).isEqualTo("v2");
    assertThat(byEvent.get("treatment").getExperimentArm()).isEqualTo("treatment");
    assertThat(ids(byEvent.get("treatment"))).isEqualTo(expected(v2, 1, 2));
    assertThat(byEvent.get("pinned").getModelVersion()).isEqualTo("v3");
    assertThat(ids(byEvent.get("pinned"))).isEqualTo(expected(v3, 1, 2));
    // An arm whose model is not available gets the default model and is not counted as exposed.
    assertThat(byEvent.get("missing").getModelVersion()).isEqualTo("v1");
    assertThat(byEvent.get("missing").getExperimentId()).isNull();
    assertThat(byEvent.get("missing").getExperimentArm()).isNull();
    // A line's model never replaces the default one.
    assertThat(((ScoringOperator) harness.getOperator()).servingVersion()).isEqualTo("v1");
  }

  @Test
  void eachArmsModelGetsAFullBatchBeforeTheBatchIsScored() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 2, null);
    harness.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 2, "candidate"), 1);
    awaitLoads();
    harness.setProcessingTime(0);
    harness.processElement1(request("c1", "item-1").inArm("exp", "control", ScoringOperator.DEFAULT_LINE, null), 1);
    harness.processElement1(request("t1", "item-2").inArm("exp", "treatment", "candidate", null), 1);
    assertThat(out()).as("two requests in all, but one for each model: neither model's batch is full").isEmpty();
    harness.processElement1(request("t2", "item-3").inArm("exp", "treatment", "candidate", null), 1);
    assertThat(out()).as("the candidate's batch is full: the whole batch is scored, in arrival order")
        .extracting(Recommendation::getTriggeringEventId).containsExactly("c1", "t1", "t2");
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v1", "v2", "v2");
    harness.processElement1(request("o1", "item-1"), 1); // outside the experiment: the default model's group, as the control arm
    harness.processElement1(request("c2", "item-4").inArm("exp", "control", ScoringOperator.DEFAULT_LINE, null), 1);
    assertThat(out()).as("the default model's batch is full").hasSize(5);
  }

  @Test
  void aRestoredOperatorServesEveryLineItServedBefore() throws Exception {
    harness = open(TestModels.pointer(v1, 1), 100, null);
    harness.processElement2(new ModelPointer("v2", v2.dir().toUri().toString(), v2.manifestSha256(), 2, "candidate"), 1);
    awaitLoads();
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = open(null, 100, snapshot);
    awaitLoads(); // other lines than the default load in the background
    harness.processElement1(request("a", "item-3"), 1);
    harness.processElement1(request("b", "item-3").inArm("exp-1", "treatment", "candidate", null), 1);
    harness.endInput1();
    assertThat(out()).extracting(Recommendation::getModelVersion).containsExactly("v1", "v2");
  }
}
