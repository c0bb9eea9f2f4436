package org.lmrec.stream.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.RankedItems;
import org.lmrec.serving.ServingModel;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.trsr.RankerSpec;
import org.lmrec.trsr.ServedPrompts;
import org.lmrec.trsr.SummaryMode;

/**
 * A ranker that fails at scoring time (the ONNX session's failure is stood in for by a ranker that
 * throws or answers with the wrong number of scores) never fails the batch: the request is served in
 * the SRS order and counted, and the next request is re-ranked again.
 */
class RerankingTest {
  @TempDir Path root;

  /** Fails on its first call, answers {@code scores.length - 1} scores on its second, then scores candidate k as k. */
  private static final class FlakyRanker implements CandidateRanker {
    private int calls;

    @Override
    public double[] scores(List<String> contexts, List<String> items) {
      calls++;
      if (calls == 1) throw new IllegalStateException("the ONNX Runtime session failed");
      double[] s = new double[items.size() - (calls == 2 ? 1 : 0)];
      for (int k = 0; k < s.length; k++) s[k] = k;
      return s;
    }

    @Override
    public void close() {}
  }

  @Test
  void aFailingRankerServesTheSrsOrderAndCountsItAndTheNextRequestIsReRanked() {
    LoadedArtifact artifact = ArtifactReader.load(RankerModels.write(root, "plain", 40, 1, null).dir());
    BatchRecommender model = new BatchRecommender(ServingModel.fromArtifact(artifact), 6);
    RankerSpec spec = new RankerSpec(RankerSpec.FORMAT_VERSION, "any", "0".repeat(64), 384, Map.of(), SummaryMode.NONE, 5, 5, "", 3,
        RankerModels.FACETS, 50, 128);
    ServedPrompts prompts = new ServedPrompts(spec, SummaryCatalogue.read(artifact.dir(), SummaryCatalogue.Limits.defaults()));
    Reranking reranking = new Reranking(new RerankSettings(6, 60_000, 1, 8, null), a -> new ModelRanker(prompts, new FlakyRanker()),
        new UnregisteredMetricsGroup());
    reranking.attach(model, artifact);

    List<String[]> histories = List.of(new String[] {"item-1", "item-2"}, new String[] {"item-3"}, new String[] {"item-4", "item-5"});
    List<RankedItems> srs = model.recommend(histories);
    List<RankedItems> out = reranking.apply(histories, srs, model);

    assertThat(out.get(0)).as("thrown").isSameAs(srs.get(0));
    assertThat(out.get(1)).as("too few scores").isSameAs(srs.get(1));
    List<String> reversed = Arrays.asList(srs.get(2).itemIds().clone());
    java.util.Collections.reverse(reversed);
    assertThat(out.get(2).itemIds()).as("re-ranked: candidate k scored k").containsExactlyElementsOf(reversed);
    assertThat(reranking.failureCount()).isEqualTo(2);
    assertThat(reranking.rerankedCount()).isEqualTo(1);
  }
}
