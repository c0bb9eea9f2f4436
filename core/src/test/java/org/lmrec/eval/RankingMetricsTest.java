package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final double EPS = 1e-12;

  @Test
  void topRankGivesFullCredit() {
    assertThat(RankingMetrics.hitRate(0, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(0, 10)).isEqualTo(1.0); // 1/log2(2) = 1
    assertThat(RankingMetrics.reciprocalRank(0, 10)).isEqualTo(1.0);
  }

  @Test
  void handComputedValuesInsideTheCutoff() {
    // rank 1: 1/log2(3) = 1/1.5849625007 = 0.6309297536
    assertThat(RankingMetrics.ndcg(1, 10)).isCloseTo(0.6309297535714574, within(EPS));
    // rank 2: 1/log2(4) = 1/2 = 0.5
    assertThat(RankingMetrics.ndcg(2, 10)).isCloseTo(0.5, within(EPS));
    // rank 9 (last one inside K=10): 1/log2(11) = 1/3.4594316186 = 0.2890648263
    assertThat(RankingMetrics.ndcg(9, 10)).isCloseTo(0.2890648263178878, within(EPS));
    assertThat(RankingMetrics.hitRate(9, 10)).isEqualTo(1.0);
    // rank 3: 1/(3+1) = 0.25
    assertThat(RankingMetrics.reciprocalRank(3, 10)).isEqualTo(0.25);
  }

  @Test
  void rankAtOrBeyondTheCutoffGivesNothing() {
    assertThat(RankingMetrics.hitRate(10, 10)).isEqualTo(0.0);
    assertThat(RankingMetrics.ndcg(10, 10)).isEqualTo(0.0);
    assertThat(RankingMetrics.reciprocalRank(10, 10)).isEqualTo(0.0);
    // the same rank counts at K=20: 1/log2(12) = 1/3.5849625007 = 0.2789429457
    assertThat(RankingMetrics.ndcg(10, 20)).isCloseTo(0.2789429456511298, within(EPS));
  }

  @Test
  void rejectsNegativeRankAndNonPositiveCutoff() {
    assertThatThrownBy(() -> RankingMetrics.hitRate(-1, 10)).hasMessageContaining("rank must be >= 0");
    assertThatThrownBy(() -> RankingMetrics.ndcg(0, 0)).hasMessageContaining("cutoff K must be >= 1");
  }
}
