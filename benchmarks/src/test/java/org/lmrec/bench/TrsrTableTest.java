package org.lmrec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.SampledRanking;
import org.lmrec.eval.NextItemScorer;

/** The LLM-TRSR table's metrics against hand computations, its case file, and the Games user sample. */
class TrsrTableTest {
  @Test
  void recallAndMrrAtThreeFiveTenFromRanks() {
    // ranks 0, 2, 4, 9, 20: R@3 = 2/5, R@5 = 3/5, R@10 = 4/5; MRR@3 = (1 + 1/3)/5, MRR@5 adds 1/5, MRR@10 adds 1/10
    Map<String, Double> m = TrsrTable.sampled(new int[] {0, 2, 4, 9, 20});
    assertThat(m.get("R@3")).isCloseTo(0.4, within(1e-12));
    assertThat(m.get("R@5")).isCloseTo(0.6, within(1e-12));
    assertThat(m.get("R@10")).isCloseTo(0.8, within(1e-12));
    assertThat(m.get("MRR@3")).isCloseTo((1 + 1.0 / 3) / 5, within(1e-12));
    assertThat(m.get("MRR@5")).isCloseTo((1 + 1.0 / 3 + 1.0 / 5) / 5, within(1e-12));
    assertThat(m.get("MRR@10")).isCloseTo((1 + 1.0 / 3 + 1.0 / 5 + 1.0 / 10) / 5, within(1e-12));
  }

  @Test
  void aMissOutsideTheReRankedTopNCountsZero() {
    Map<String, Double> m = TrsrTable.full(new int[] {0, Integer.MAX_VALUE});
    assertThat(m.get("full/HR@10")).isEqualTo(0.5);
    assertThat(m.get("full/NDCG@10")).isEqualTo(0.5);
    assertThat(TrsrTable.rank(0.5f, new float[] {0.9f, 0.5f, 0.1f})).isEqualTo(2); // a tie counts against the target
  }

  @Test
  void caseFileKeepsTheProtocolsNegativesAndTheTopNWithoutTheHistory(@TempDir Path dir) {
    int items = 40;
    List<EvalCase> cases = List.of(new EvalCase(0, new int[] {1, 2, 3}, 4), new EvalCase(1, new int[] {5}, 5));
    SampledRanking sampled = new SampledRanking(items, 20, 7);
    // item i scores i: the best items are the highest indices
    NextItemScorer scorer = hs -> {
      float[][] out = new float[hs.length][items + 1];
      for (float[] row : out) for (int i = 1; i <= items; i++) row[i] = i;
      return out;
    };
    Path file = dir.resolve("cases.tsv");
    TrsrCases.write(file, cases, sampled, scorer, 5);
    List<TrsrCases> read = TrsrCases.read(file);
    assertThat(read).hasSize(2);
    assertThat(read.get(0).negatives()).containsExactly(sampled.negatives(cases.get(0)));
    assertThat(read.get(0).topN()).containsExactly(40, 39, 38, 37, 36);
    assertThat(read.get(1).target()).isEqualTo(5);
  }

  @Test
  void gamesSampleIsSeededAndKeepsOnlyTouchedItems() {
    DatasetBuilder b = new DatasetBuilder("g");
    for (int i = 0; i < 30; i++) b.itemAttributes("i" + i, Map.of("title", "t" + i));
    for (int u = 0; u < 10; u++) for (int k = 0; k < 3; k++) b.interaction("u" + u, "i" + (3 * u + k));
    Dataset d = b.build();
    Dataset s = TrsrData.subsample(d, 4, 1);
    assertThat(s.numUsers()).isEqualTo(4);
    assertThat(s.numItems()).isEqualTo(12);
    assertThat(s.itemAttributes(1)).containsEntry("title", "t" + s.itemId(1).substring(1));
    assertThat(TrsrData.subsample(d, 4, 1).userIds()).isEqualTo(s.userIds());
    List<String> seqTitles = new ArrayList<>();
    for (int item : s.sequence(0)) seqTitles.add(s.itemAttributes(item).get("title"));
    String u = s.userId(0).substring(1);
    int first = 3 * Integer.parseInt(u);
    assertThat(seqTitles).containsExactly("t" + first, "t" + (first + 1), "t" + (first + 2));
  }
}
