package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.OnnxYesNoRanker;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.rerank.RankerModels;
import org.lmrec.stream.rerank.RerankSettings;
import org.lmrec.stream.rerank.Reranking;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.RankerSpec;

/**
 * The scorer with LLM-TRSR re-rank on the real all-MiniLM-L6-v2 (ONNX Runtime) and a ranker written
 * from seeded weights: the emitted order is the ranker's order of the SRS top N for the prompts
 * training would build, computed here independently of the operator; off changes nothing; an
 * exceeded budget and a model without a ranker serve the SRS order and are counted.
 */
@Timeout(120)
class RerankScoringOperatorTest {
  static final int ITEMS = 40;
  static final int TOP_K = 3;
  static final int TOP_N = 6;
  static final String[][] HISTORIES = {
      {"item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7"},
      {"item-11", "item-12", "item-13"},
      {"item-20", "item-21", "item-22", "item-23", "item-24", "item-25", "item-26", "item-27", "item-28", "item-29", "item-30"}};

  @TempDir static Path root;
  static LmCheckpoint checkpoint;
  static RankerFiles.Stored ranker;
  static ModelArtifact withRanker;
  static ModelArtifact withoutRanker;

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> harness;

  @BeforeAll
  static void models() {
    checkpoint = LmCheckpoint.defaultMiniLm();
    ranker = RankerModels.ranker(checkpoint, 3);
    withRanker = RankerModels.write(root, "r1", ITEMS, 1, ranker);
    withoutRanker = RankerModels.write(root, "plain", ITEMS, 1, null);
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) harness.close();
  }

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> open(ModelArtifact model, RerankSettings rerank) throws Exception {
    var op = new ScoringOperator(TestModels.pointer(model, 1), ModelLimits.unrestricted(), ModelLoading.defaults(), TOP_K, HISTORIES.length, 20, rerank);
    var h = new TwoInputStreamOperatorTestHarness<>(op);
    h.setup();
    h.open();
    ScoringOperatorTest.awaitLoads(h);
    return h;
  }

  private void scoreAll() throws Exception {
    for (int i = 0; i < HISTORIES.length; i++) harness.processElement1(ScoringOperatorTest.request("e" + i, HISTORIES[i]), 1);
  }

  private List<List<String>> emitted() {
    return harness.extractOutputValues().stream().map(r -> r.getItems().stream().map(ScoredItem::getItemId).toList()).toList();
  }

  private static RerankSettings on() {
    return new RerankSettings(TOP_N, 60_000, 1, 8, null);
  }

  /** The SRS's top {@code n} of each history, from the artifact alone. */
  private static List<List<String>> srs(ModelArtifact a, int n) {
    BatchRecommender r = new BatchRecommender(ServingModel.fromArtifact(ArtifactReader.load(a.dir())), n);
    return r.recommend(Arrays.asList(HISTORIES)).stream().map(x -> List.of(x.itemIds())).toList();
  }

  private static int index(String id) {
    return Integer.parseInt(id.substring("item-".length()));
  }

  /** The ranker's order of {@code candidates}, prompts built from the fixture's items the way training builds them. */
  private static List<String> rankerOrder(String[] history, List<String> candidates) {
    RankerSpec spec = ranker.spec();
    List<SummaryItem> items = Arrays.stream(history).map(id -> RankerModels.item(spec, index(id))).toList();
    String summary = SummaryStrategy.RECURRENT.summarise(RankerModels.summariser(), items, spec.blockSize(), spec.maxBlocks()).text();
    List<String> contexts = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (String c : candidates) {
      contexts.add(spec.prompt().context(summary));
      parts.add(spec.prompt().items(items, RankerModels.item(spec, index(c))));
    }
    double[] scores;
    try (OnnxYesNoRanker onnx = new OnnxYesNoRanker(checkpoint, 1, ranker)) {
      scores = onnx.scores(contexts, parts, 4);
    }
    return IntStream.range(0, candidates.size()).boxed().sorted(Comparator.comparingDouble((Integer k) -> -scores[k]).thenComparing(k -> k))
        .map(candidates::get).toList();
  }

  @Test
  void reRankOnEmitsTheRankersOrderOfTheSrsTopN() throws Exception {
    harness = open(withRanker, on());
    scoreAll();
    List<List<String>> srsTopN = srs(withRanker, TOP_N);
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < HISTORIES.length; i++) expected.add(rankerOrder(HISTORIES[i], srsTopN.get(i)).subList(0, TOP_K));

    assertThat(emitted()).isEqualTo(expected);
    assertThat(emitted()).as("the seeded ranker changes the SRS order somewhere, so this test tells the two apart")
        .isNotEqualTo(srs(withRanker, TOP_K));
    assertThat(harness.extractOutputValues().get(0).getItems()).extracting(ScoredItem::getScore)
        .allSatisfy(s -> assertThat(s).isBetween(0f, 1f)).isSortedAccordingTo(Comparator.reverseOrder());
    Reranking reranking = ((ScoringOperator) harness.getOperator()).reranking();
    assertThat(reranking.rerankedCount()).isEqualTo(HISTORIES.length);
    assertThat(reranking.overBudgetCount()).isZero();
  }

  @Test
  void offByDefaultLeavesTheSrsOrderAndOpensNoRanker() throws Exception {
    harness = open(withRanker, RerankSettings.off());
    scoreAll();
    assertThat(emitted()).isEqualTo(srs(withRanker, TOP_K));
    assertThat(((ScoringOperator) harness.getOperator()).reranking()).isNull();
  }

  @Test
  void anExceededBudgetServesTheSrsOrderAndCountsIt() throws Exception {
    harness = open(withRanker, on().withBudgetMillis(0));
    scoreAll();
    assertThat(emitted()).isEqualTo(srs(withRanker, TOP_K));
    Reranking reranking = ((ScoringOperator) harness.getOperator()).reranking();
    assertThat(reranking.overBudgetCount()).isEqualTo(HISTORIES.length);
    assertThat(reranking.rerankedCount()).isZero();
  }

  @Test
  void aModelWithoutARankerServesTheSrsOrderAndIsCountedOnce() throws Exception {
    harness = open(withoutRanker, on());
    scoreAll();
    assertThat(emitted()).isEqualTo(srs(withoutRanker, TOP_K));
    Reranking reranking = ((ScoringOperator) harness.getOperator()).reranking();
    assertThat(reranking.modelsWithoutRankerCount()).isEqualTo(1);
    assertThat(reranking.rerankedCount()).isZero();
  }

  @Test
  void aRankerTunedOnAnotherBaseLmLeavesItsModelUnReranked() throws Exception {
    RankerFiles.Stored s = ranker;
    RankerSpec other = new RankerSpec(RankerSpec.FORMAT_VERSION, "another-lm", "0".repeat(64), 384, s.spec().lora(), s.spec().summary(), 5, 5,
        s.spec().summariserVersion(), 3, s.spec().promptFacets(), 50, 128);
    ModelArtifact foreign = RankerModels.write(root, "foreign", ITEMS, 1, new RankerFiles.Stored(other, s.lora(), s.head()));
    harness = open(foreign, on());
    scoreAll();
    assertThat(emitted()).isEqualTo(srs(foreign, TOP_K));
    assertThat(((ScoringOperator) harness.getOperator()).reranking().modelsWithoutRankerCount()).isEqualTo(1);
  }


  @Test
  void aTopNBelowTopKIsRefusedBeforeTheJobStarts() {
    org.apache.flink.configuration.Configuration o = new org.apache.flink.configuration.Configuration();
    o.set(org.lmrec.stream.StreamingOptions.RERANK_TOP_N, TOP_K - 1);
    RerankSettings tooFew = RerankSettings.from(o);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ScoringOperator(null, ModelLimits.unrestricted(), ModelLoading.defaults(), TOP_K, 4, 20, tooFew))
        .hasMessageContaining("lmrec.rerank.top-n (2) must be at least lmrec.scoring.top-k (3)");
    assertThat(RerankSettings.from(new org.apache.flink.configuration.Configuration()).enabled()).as("off by default").isFalse();
  }
}
