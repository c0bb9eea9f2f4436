package org.lmrec.stream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.replay.ModelSummary;
import org.lmrec.replay.ReplayReport;
import org.lmrec.replay.WindowSummary;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.stream.CapturedLogs;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;

/**
 * The replay job on a real MiniCluster in BATCH mode: a synthetic stream written as archive files,
 * real model artifacts (one trained on the stream's own data, the others untrained), the streaming
 * job's own state and scoring operators. The job starts its own MiniCluster ({@link HeldMiniCluster}).
 */
class ReplayJobITCase {
  static final Instant START = Instant.parse("2024-05-01T00:00:00Z");
  static final long DAY = Duration.ofDays(1).toMillis();

  @TempDir static Path dir;
  static Dataset data;
  static List<org.apache.flink.core.fs.Path> files;
  static ModelArtifact trained;
  static ModelArtifact random1;
  static ModelArtifact random2;

  @BeforeAll
  static void writeLogAndModels() throws Exception {
    data = SyntheticDataGenerator.generateDataset(
        SyntheticConfig.defaults().withName("replay-it").withUsers(400).withItems(200).withCategories(8).withSequenceLength(12, 6).withSeed(11));
    // The generator's users act over a year of event time, so the report has many day windows.
    files = ReplayJob.flinkPaths(ArchiveWriter.write(data, dir.resolve("archive"), 2, START, Duration.ofHours(6)));
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(32).withBlocks(1).withHeads(1).withMaxLen(20).withSeed(5);
    TrainingPipeline.Result r = TrainingPipeline.run(data, TrainingPipeline.Settings.of(cfg, new TrainingOptions(15, 1, 3, false)), null);
    trained = artifact("v-trained", r.config(), r.weights());
    random1 = untrained("v-random-1", cfg.withSeed(1));
    random2 = untrained("v-random-2", cfg.withSeed(2));
  }

  static ModelArtifact untrained(String version, ModelConfig cfg) {
    try (SequentialModel m = SequentialModels.create(cfg, data.numItems(), null)) {
      return artifact(version, cfg, m.exportWeights());
    }
  }

  static ModelArtifact artifact(String version, ModelConfig cfg, org.lmrec.tensor.TensorMap weights) {
    return ArtifactWriter.write(dir.resolve("artifacts"), version, cfg.kind().id(), cfg.toMap(), weights, data.itemIds(),
        new TrainingDataInfo("replay test", data.numUsers(), data.numItems(), data.numInteractions(), null, null, "test"), Map.of(), Map.of());
  }

  static ModelPointer pointer(ModelArtifact a, long servedFrom) {
    return ReplayJob.pointer(a.dir(), servedFrom);
  }

  /** With day windows, which the as-served case's boundaries are placed on. */
  static ReplayJob job(int parallelism) {
    return job(parallelism, ReplayJob.Options.defaults().withTitle("replay-it").withWindow(Duration.ofDays(1)));
  }

  static ReplayJob job(int parallelism, ReplayJob.Options options) {
    Configuration c = new Configuration();
    c.setString("parallelism.default", String.valueOf(parallelism));
    return new ReplayJob(options, c);
  }

  @Test
  void aShortLogEndsQuietlyWithEveryOutcomeAndChartsOfManyPoints() throws Exception {
    // About eight minutes of events, like the local demo's archive: each user's events 40 s apart.
    List<org.apache.flink.core.fs.Path> shortLog = ReplayJob.flinkPaths(ArchiveWriter.write(data, dir.resolve("short-archive"), 2,
        (user, position, length) -> START.plusSeconds(user % 60 + 40L * position)));
    ReplayJob.Result result;
    try (CapturedLogs logs = CapturedLogs.start()) {
      result = job(2, ReplayJob.Options.defaults().withTitle("short")).run(shortLog, ModelRouting.SIDE_BY_SIDE, List.of(pointer(trained, 0)));
      // Flink's local environment shut its MiniCluster down as soon as the job ended, and each
      // result iterator then logged "Failed to get job status ... Some data might be lost" twice.
      assertThat(logs.lines()).noneMatch(l -> l.contains("CollectResultFetcher") || l.contains("data might be lost"));
    }
    long judged = data.numInteractions() - data.numUsers();
    assertThat(result.outcomes()).isEqualTo(judged);
    assertThat(result.events()).isEqualTo(data.numInteractions());
    ReplayReport report = result.report();
    assertThat(report.model("v-trained").cases()).isEqualTo(judged);
    // The window is chosen from the span: seconds, not the single day window of a fixed 1d.
    assertThat(report.window()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertThat(report.model("v-trained").byWindow()).hasSizeBetween(20, 100);
    assertThat(report.writeTo(dir.resolve("short-report"))).allMatch(p -> p.toFile().length() > 0);
  }

  @Test
  void sideBySideRanksThePlantedBetterModelFirstWhereverItIsListed() throws Exception {
    ReplayJob.Result result = job(2).run(files, ModelRouting.SIDE_BY_SIDE, List.of(pointer(random1, 0), pointer(trained, 0), pointer(random2, 0)));
    ReplayReport report = result.report();
    assertThat(report.ranking("NDCG@10")).first().isEqualTo("v-trained");
    assertThat(report.ranking("HR@10")).first().isEqualTo("v-trained");
    double trainedNdcg = report.model("v-trained").metric("NDCG@10");
    assertThat(trainedNdcg).isGreaterThan(2 * report.model("v-random-1").metric("NDCG@10"));
    // Every event except each user's last is judged once per model.
    long judged = data.numInteractions() - data.numUsers();
    assertThat(result.outcomes()).isEqualTo(3 * judged);
    for (ModelSummary m : report.models()) assertThat(m.cases()).isEqualTo(judged);
    assertThat(result.events()).isEqualTo(data.numInteractions());
  }

  @Test
  void theSameLogGivesAByteIdenticalReportAtAnyParallelism() throws Exception {
    List<ModelPointer> models = List.of(pointer(trained, 0), pointer(random1, 0));
    ReplayReport first = job(2).run(files, ModelRouting.SIDE_BY_SIDE, models).report();
    ReplayReport second = job(2).run(files, ModelRouting.SIDE_BY_SIDE, models).report();
    ReplayReport serial = job(1).run(files, ModelRouting.SIDE_BY_SIDE, models).report();
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(serial.json()).isEqualTo(first.json());
    assertThat(serial.markdown()).isEqualTo(first.markdown());
    assertThat(serial.png("NDCG@10")).isEqualTo(first.png("NDCG@10"));
  }

  @Test
  void asServedScoresEveryEventWithTheModelServingAtItsEventTimeNeverALaterOne() throws Exception {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int u = 0; u < data.numUsers(); u++) {
      for (long t : data.timestamps(u)) {
        first = Math.min(first, t * 1000);
        last = Math.max(last, t * 1000);
      }
    }
    // Both on day boundaries, so each day window lies wholly before or after a change of model.
    long v1From = (first + (last - first) / 10) / DAY * DAY; // events before it had no model
    long v2From = (first + (last - first) / 2) / DAY * DAY;
    // The later model is listed first: the order the pointers arrive in must not matter.
    ReplayReport report = job(2).run(files, ModelRouting.AS_SERVED, List.of(pointer(trained, v2From), pointer(random1, v1From))).report();

    assertThat(report.models()).extracting(ModelSummary::model).containsExactly("none", "v-random-1", "v-trained");
    ModelSummary none = report.model("none");
    assertThat(none.emptyLists()).isEqualTo(none.cases()).isPositive();
    for (WindowSummary w : none.byWindow()) assertThat(w.startMillis()).isLessThan(v1From);
    for (WindowSummary w : report.model("v-random-1").byWindow()) assertThat(w.startMillis()).isBetween(v1From, v2From - DAY);
    for (WindowSummary w : report.model("v-trained").byWindow()) assertThat(w.startMillis()).isGreaterThanOrEqualTo(v2From);
    long judged = data.numInteractions() - data.numUsers();
    assertThat(report.models().stream().mapToLong(ModelSummary::cases).sum()).isEqualTo(judged);
  }

  @Test
  void aBrokenArtifactFailsTheReplayBeforeItStartsAndNamesTheReason() {
    ModelPointer good = pointer(trained, 0);
    ModelPointer tampered = new ModelPointer(good.version, good.uri, "0".repeat(64), 0);
    assertThatThrownBy(() -> job(1).run(files, ModelRouting.SIDE_BY_SIDE, List.of(tampered)))
        .isInstanceOf(ModelLoader.ModelRefusedException.class).hasMessageContaining("v-trained");
    assertThatThrownBy(() -> job(1).run(files, ModelRouting.SIDE_BY_SIDE, List.of(good, good)))
        .hasMessageContaining("given twice");
  }
}
