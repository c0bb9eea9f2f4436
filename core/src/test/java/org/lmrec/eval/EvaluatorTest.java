package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final double EPS = 1e-9;
  private static final int NUM_ITEMS = 30;

  /** Scores item i as -i, whatever the history: item 1 is always the best. */
  private static final NextItemScorer FIXED = histories -> {
    float[][] out = new float[histories.length][NUM_ITEMS + 1];
    for (float[] row : out) for (int i = 1; i <= NUM_ITEMS; i++) row[i] = -i;
    return out;
  };

  /** With empty histories and {@link #FIXED}, target t has rank t - 1: ranks 0, 1 and 12. */
  private static final List<EvalCase> THREE =
      List.of(new EvalCase(0, new int[0], 1), new EvalCase(1, new int[0], 2), new EvalCase(2, new int[0], 13));

  /** Cases whose target is always "last history item + 1", so a scorer can know the answer. */
  private static List<EvalCase> successorCases(int n) {
    return IntStream.range(0, n)
        .mapToObj(u -> new EvalCase(u, new int[] {1 + u % 10, 2 + u % 10}, 3 + u % 10))
        .toList();
  }

  private static NextItemScorer successorScorer(float targetScore) {
    return histories -> {
      float[][] out = new float[histories.length][NUM_ITEMS + 1];
      for (int q = 0; q < histories.length; q++) {
        int[] h = histories[q];
        out[q][h[h.length - 1] + 1] = targetScore; // every other item scores 0
      }
      return out;
    };
  }

  @Test
  void averagesHandComputedRanks() {
    EvaluationResult r = Evaluator.builder(new FullRanking(NUM_ITEMS)).mrr(true).build().evaluate(FIXED, THREE);
    assertThat(r.protocol()).isEqualTo("full");
    assertThat(r.numCases()).isEqualTo(3);
    // ranks 0, 1, 12: HR@10 = (1 + 1 + 0) / 3
    assertThat(r.metric("HR@10")).isCloseTo(2.0 / 3, within(EPS));
    // NDCG@10 = (1/log2(2) + 1/log2(3) + 0) / 3 = (1 + 0.6309297536) / 3 = 0.5436432512
    assertThat(r.metric("NDCG@10")).isCloseTo(0.5436432512, within(EPS));
    // MRR@10 = (1 + 1/2 + 0) / 3 = 0.5
    assertThat(r.metric("MRR@10")).isCloseTo(0.5, within(EPS));
    assertThat(r.metric("HR@20")).isCloseTo(1.0, within(EPS));
    // NDCG@20 = (1 + 0.6309297536 + 1/log2(14) = 0.2626495350) / 3 = 0.6311930962
    assertThat(r.metric("NDCG@20")).isCloseTo(0.6311930962, within(EPS));
    // MRR@20 = (1 + 1/2 + 1/13) / 3 = 0.5256410256
    assertThat(r.metric("MRR@20")).isCloseTo(0.5256410256, within(EPS));
    assertThat(r.metrics().keySet()).containsExactly("HR@10", "NDCG@10", "MRR@10", "HR@20", "NDCG@20", "MRR@20");
  }

  @Test
  void reportsTailAndHeadGroupsAndFormatsOneLine() {
    // item 1 has 2 training users (head at threshold 2); items 2 and 13 have none (tail)
    PopularityGroups groups = PopularityGroups.withThreshold(new int[][] {{1}, {1}}, NUM_ITEMS, 2);
    EvaluationResult r = Evaluator.builder(new FullRanking(NUM_ITEMS)).popularity(groups).build().evaluate(FIXED, THREE);
    assertThat(r.caseCount("tail")).isEqualTo(2);
    assertThat(r.caseCount("head")).isEqualTo(1);
    // head: rank 0 only
    assertThat(r.metric("head/HR@10")).isEqualTo(1.0);
    assertThat(r.metric("head/NDCG@10")).isEqualTo(1.0);
    // tail: ranks 1 and 12. HR@10 = 1/2; NDCG@10 = 0.6309297536 / 2 = 0.3154648768
    assertThat(r.metric("tail/HR@10")).isCloseTo(0.5, within(EPS));
    assertThat(r.metric("tail/NDCG@10")).isCloseTo(0.3154648768, within(EPS));
    // NDCG@20 = (0.6309297536 + 0.2626495350) / 2 = 0.4467896443
    assertThat(r.metric("tail/NDCG@20")).isCloseTo(0.4467896443, within(EPS));
    assertThat(r.format()).isEqualTo(
        "full n=3 HR@10=0.6667 NDCG@10=0.5436 HR@20=1.0000 NDCG@20=0.6312"
            + " | tail n=2 HR@10=0.5000 NDCG@10=0.3155 HR@20=1.0000 NDCG@20=0.4468"
            + " | head n=1 HR@10=1.0000 NDCG@10=1.0000 HR@20=1.0000 NDCG@20=1.0000");
    assertThat(r.toString()).isEqualTo(r.format());
  }

  @Test
  void anEmptyGroupHasNanMetricsAndZeroCount() {
    PopularityGroups allTail = PopularityGroups.withThreshold(new int[0][], NUM_ITEMS, 1);
    EvaluationResult r = Evaluator.builder(new FullRanking(NUM_ITEMS)).popularity(allTail).build().evaluate(FIXED, THREE);
    assertThat(r.caseCount("head")).isZero();
    assertThat(r.metric("head/HR@10")).isNaN();
    assertThat(r.metric("tail/HR@10")).isEqualTo(r.metric("HR@10"));
  }

  @Test
  void perfectScorerScoresOneAndWorstScorerZero() {
    List<EvalCase> cases = successorCases(25);
    for (RankingProtocol protocol : List.of(new FullRanking(NUM_ITEMS), new SampledRanking(NUM_ITEMS, 20, 5L))) {
      Evaluator evaluator = Evaluator.builder(protocol).mrr(true).build();
      EvaluationResult perfect = evaluator.evaluate(successorScorer(1f), cases);
      EvaluationResult worst = evaluator.evaluate(successorScorer(-1f), cases);
      for (String name : perfect.metrics().keySet()) {
        assertThat(perfect.metric(name)).as(protocol.name() + " perfect " + name).isEqualTo(1.0);
        assertThat(worst.metric(name)).as(protocol.name() + " worst " + name).isEqualTo(0.0);
      }
    }
  }

  @Test
  void constantScorerGetsCreditOnlyWhenTheCandidatesFitInTheCutoff() {
    NextItemScorer constant = histories -> new float[histories.length][NUM_ITEMS + 1];
    List<EvalCase> cases = successorCases(25);
    // full: 30 items minus 2 seen = 28 candidates, target last -> rank 27 -> nothing at K = 10 or 20
    EvaluationResult full = Evaluator.builder(new FullRanking(NUM_ITEMS)).build().evaluate(constant, cases);
    assertThat(full.metrics().values()).containsOnly(0.0);
    // K = 28 fits all candidates: HR = 1, NDCG = 1/log2(29) = 1/4.8579809951 = 0.2058468324
    EvaluationResult wide = Evaluator.builder(new FullRanking(NUM_ITEMS)).cutoffs(28).build().evaluate(constant, cases);
    assertThat(wide.metric("HR@28")).isEqualTo(1.0);
    assertThat(wide.metric("NDCG@28")).isCloseTo(0.2058468324, within(EPS));
    // sampled with 20 negatives: rank 20 -> HR@20 = 0, HR@21 = 1
    EvaluationResult sampled =
        Evaluator.builder(new SampledRanking(NUM_ITEMS, 20, 5L)).cutoffs(20, 21).build().evaluate(constant, cases);
    assertThat(sampled.metric("HR@20")).isEqualTo(0.0);
    assertThat(sampled.metric("HR@21")).isEqualTo(1.0);
  }

  @Test
  void scoresInBatchesAndReportsProgress() {
    List<Integer> batchSizes = new ArrayList<>();
    NextItemScorer recording = histories -> {
      batchSizes.add(histories.length);
      return FIXED.scoreAll(histories);
    };
    List<String> progress = new ArrayList<>();
    List<EvalCase> cases = successorCases(7);
    Evaluator evaluator = Evaluator.builder(new FullRanking(NUM_ITEMS))
        .batchSize(3)
        .progress((done, total) -> progress.add(done + "/" + total))
        .build();
    int[] ranks = evaluator.ranks(recording, cases);
    assertThat(batchSizes).containsExactly(3, 3, 1);
    assertThat(progress).containsExactly("3/7", "6/7", "7/7");
    // same ranks as one big batch, in case order
    int[] oneBatch = Evaluator.builder(new FullRanking(NUM_ITEMS)).build().ranks(FIXED, cases);
    assertThat(ranks).isEqualTo(oneBatch);
    // case u: history {1+u%10, 2+u%10}, target 3+u%10, item i scores -i: the better items are
    // 1..2+u%10 minus the two seen ones -> rank u%10
    assertThat(ranks).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void badScorerOutputAndBadSettingsAreClearErrors() {
    Evaluator evaluator = Evaluator.builder(new FullRanking(NUM_ITEMS)).build();
    assertThatThrownBy(() -> evaluator.evaluate(h -> new float[1][NUM_ITEMS + 1], THREE))
        .hasMessageContaining("scorer returned 1 rows for a batch of 3 histories");
    assertThatThrownBy(() -> evaluator.evaluate(h -> new float[h.length][NUM_ITEMS], THREE))
        .hasMessageContaining("30 scores");
    assertThatThrownBy(() -> evaluator.evaluate(FIXED, List.of())).hasMessageContaining("no cases to evaluate");
    assertThatThrownBy(() -> Evaluator.builder(new FullRanking(NUM_ITEMS)).cutoffs(10, 10))
        .hasMessageContaining("cutoffs repeat a value");
    assertThatThrownBy(() -> Evaluator.builder(new FullRanking(NUM_ITEMS)).batchSize(0))
        .hasMessageContaining("batchSize must be >= 1");
    assertThatThrownBy(() -> Evaluator.builder(new FullRanking(NUM_ITEMS))
            .popularity(PopularityGroups.withThreshold(new int[0][], 5, 1)))
        .hasMessageContaining("popularity groups cover 5 items but the protocol ranks 30");
    assertThatThrownBy(() -> Evaluator.builder(new FullRanking(NUM_ITEMS)).build().evaluate(FIXED, THREE).metric("HR@5"))
        .hasMessageContaining("no metric 'HR@5'");
  }

  @Test
  void resultIsImmutable() {
    EvaluationResult r = Evaluator.builder(new FullRanking(NUM_ITEMS)).build().evaluate(FIXED, THREE);
    assertThatThrownBy(() -> r.metrics().put("HR@10", 2.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.caseCounts().put("all", 0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(r.hasPopularityGroups()).isFalse();
  }
}
