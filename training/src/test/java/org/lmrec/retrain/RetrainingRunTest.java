package org.lmrec.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.Enhancer;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.ServingModel;
import org.lmrec.train.TrainingOptions;
import org.lmrec.artifact.ModelRegistry;

/**
 * Retraining runs on synthetic data with the ID-only SRS (the enhancers' stages have their own
 * tests, and the whole loop with P2Rec runs in the retraining module's ITCase): the gate publishes
 * a good model, refuses a deliberately broken one and keeps the serving one, and retention never
 * deletes the serving version.
 */
class RetrainingRunTest {
  static Dataset data;
  @TempDir Path dir;
  final List<String> announced = new ArrayList<>();

  @BeforeAll
  static void generate() {
    data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(300).withItems(300).withSequenceLength(12, 5));
  }

  private RetrainConfig config() {
    ModelConfig model = ModelConfig.defaults(ModelKind.SASREC).withDim(32).withSeed(7);
    return RetrainConfig.defaults(Enhancer.NONE, model, null, dir.resolve("work"))
        .withTraining(TrainingOptions.defaults().withMaxEpochs(15).withPatience(3).withShowProgress(false), 0)
        .withRetention(2, 1);
  }

  private RetrainingRun.Outcome run(RetrainConfig config, ModelRegistry registry, long second) throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L + second), ZoneOffset.UTC);
    return new RetrainingRun(config, registry, a -> announced.add(a.version()), clock).run(data, "synthetic test data", Map.of("prepare", 1.5));
  }

  @Test
  void withoutAChosenDropoutEachWindowsDataChoosesIt() {
    Dataset sparse = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(300).withItems(3000).withSequenceLength(6, 3));
    RetrainConfig fromData = config().edit().set(RetrainConfig::dropoutFromData, true).build();
    assertThat(RetrainingRun.modelFor(fromData, sparse).dropout()).as("sparse: the SASRec paper's 0.5").isEqualTo(0.5f);
    assertThat(RetrainingRun.modelFor(fromData, data).dropout()).as("dense (4%)").isEqualTo(0.2f);
    RetrainConfig chosen = config().edit().set(RetrainConfig::model, config().model().withDropout(0.1f)).build();
    assertThat(RetrainingRun.modelFor(chosen, sparse).dropout()).isEqualTo(0.1f);
  }

  @Test
  void publishesAGoodModelRefusesABrokenOneAndKeepsTheServingVersionThroughRetention() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), "sasrec");

    RetrainingRun.Outcome first = run(config(), registry, 0);
    assertThat(first.gate().passed()).isTrue();
    assertThat(first.gate().reason()).contains("no model is serving");
    assertThat(first.announced()).isTrue();
    assertThat(announced).containsExactly(first.artifact().version());
    assertThat(registry.serving().orElseThrow().version()).isEqualTo(first.artifact().version());
    Map<String, Double> metrics = first.artifact().manifest().metrics();
    assertThat(metrics).containsEntry("gate/passed", 1.0).containsKey("gate/candidate/NDCG@10").containsEntry("seconds/prepare", 1.5);
    assertThat(metrics.get("gate/candidate/NDCG@10")).isGreaterThan(0.05);

    // A deliberately broken model: a learning rate that leaves the weights at their random start.
    RetrainConfig broken = new RetrainConfig(Enhancer.NONE, config().model().withLearningRate(1e-9f),
        config().training().withMaxEpochs(1), 0, config().p2rec(), config().llmemb(), null, config().lmRefreshInterval(),
        0.02, 2, 1, 2, null, false);
    RetrainingRun.Outcome refused = run(broken, registry, 60);
    assertThat(refused.gate().passed()).isFalse();
    assertThat(refused.announced()).isFalse();
    assertThat(refused.gate().serving().ndcg10()).isGreaterThan(refused.gate().candidate().ndcg10());
    assertThat(refused.gate().servingVersion()).isEqualTo(first.artifact().version());
    assertThat(refused.artifact().dir()).startsWith(dir.resolve("artifacts").resolve(ModelRegistry.REFUSED_DIR));
    assertThat(refused.artifact().manifest().metrics()).containsEntry("gate/passed", 0.0).containsKey("gate/serving/NDCG@10");
    assertThat(refused.artifact().manifest().config().get("retraining").toString()).contains("decision=refused");
    assertThat(announced).hasSize(1);
    assertThat(registry.serving().orElseThrow().version()).isEqualTo(first.artifact().version());
    ArtifactReader.load(refused.artifact().dir()); // kept whole, for inspection

    // Two more good runs with keep = 2: the first version goes, the serving one never does.
    RetrainingRun.Outcome second = run(config(), registry, 120);
    assertThat(second.gate().passed()).as(second.gate().reason()).isTrue();
    assertThat(second.artifact().manifest().parentVersion()).isEqualTo(first.artifact().version());
    RetrainingRun.Outcome third = run(config(), registry, 180);
    assertThat(third.gate().passed()).as(third.gate().reason()).isTrue();
    assertThat(registry.published().list("sasrec")).extracting(ModelArtifact::version)
        .containsExactly(second.artifact().version(), third.artifact().version());
    assertThat(registry.serving().orElseThrow().version()).isEqualTo(third.artifact().version());
    assertThat(announced).containsExactly(first.artifact().version(), second.artifact().version(), third.artifact().version());
  }

  @Test
  void retentionKeepsTheServingVersionEvenWhenItIsTheOldest() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), "sasrec");
    ModelArtifact v1 = run(config(), registry, 0).artifact();
    var loaded = ArtifactReader.load(v1.dir());
    List<String> versions = new ArrayList<>(List.of(v1.version()));
    for (int i = 1; i <= 3; i++) {
      String v = registry.published().nextVersion("sasrec", Instant.ofEpochSecond(1_800_000_000L + 60 * i));
      registry.published().writer(v, "sasrec").config(loaded.manifest().config()).weights(loaded.weights())
          .itemIds(loaded.itemIds()).trainingData(loaded.manifest().trainingData())
          .createdAt(Instant.ofEpochSecond(1_800_000_000L + 60 * i)).write();
      versions.add(v);
    }
    // Someone rolled back to v1 by hand: prunes keep the newest two and v1.
    registry.markServing(v1, Instant.now());
    assertThat(registry.prune(2, 0)).containsExactly(versions.get(1));
    assertThat(registry.published().list("sasrec")).extracting(ModelArtifact::version)
        .containsExactly(versions.get(0), versions.get(2), versions.get(3));
    try (var files = Files.list(dir.resolve("artifacts"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".deleting-"));
    }
  }

  @Test
  void theSliceCountsTargetsAModelDoesNotKnowAsMisses() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), "sasrec");
    ModelArtifact v1 = run(config(), registry, 0).artifact();
    ServingModel model = ServingModel.fromArtifact(ArtifactReader.load(v1.dir()));
    HeldOutSlice slice = HeldOutSlice.of(data);
    SliceEvaluation.Score all = SliceEvaluation.of(model, slice);
    assertThat(all.knownCases()).isEqualTo(slice.size());

    List<HeldOutSlice.Case> renamed = new ArrayList<>();
    for (int i = 0; i < slice.size(); i++) {
      HeldOutSlice.Case c = slice.cases().get(i);
      renamed.add(i % 2 == 0 ? new HeldOutSlice.Case(c.history(), "never-seen-" + i) : c);
    }
    SliceEvaluation.Score half = SliceEvaluation.of(model, new HeldOutSlice(renamed));
    assertThat(half.cases()).isEqualTo(slice.size());
    assertThat(half.knownCases()).isEqualTo(slice.size() / 2);
    assertThat(half.ndcg10()).isLessThan(all.ndcg10());
  }
}
