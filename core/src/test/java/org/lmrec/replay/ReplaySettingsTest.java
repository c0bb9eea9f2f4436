package org.lmrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lmrec.eval.PopularityGroups;

class ReplaySettingsTest {
  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void defaultsAndDerivedValues() {
    ReplaySettings s = ReplaySettings.of(new int[] {5, 10, 20}, DAY, 100, "t");
    assertThat(s.headFraction()).isEqualTo(PopularityGroups.DEFAULT_HEAD_FRACTION);
    assertThat(s.maxCutoff()).isEqualTo(20);
    assertThat(s.headlineCutoff()).isEqualTo(10);
    assertThat(ReplaySettings.of(new int[] {10, 20}, DAY, 100, "t").headlineCutoff()).isEqualTo(10);
    assertThat(ReplaySettings.of(new int[] {20}, DAY, 100, "t").headlineCutoff()).isEqualTo(20);
    assertThat(s.metricNames()).containsExactly("HR@5", "NDCG@5", "MRR@5", "HR@10", "NDCG@10", "MRR@10", "HR@20", "NDCG@20", "MRR@20");
    assertThat(s).isEqualTo(ReplaySettings.of(new int[] {5, 10, 20}, DAY, 100, "t"));
  }

  @Test
  void windowStartIsTheFloorInUtcEvenBefore1970() {
    long day = DAY.toMillis();
    assertThat(ReplaySettings.windowStart(0, day)).isZero();
    assertThat(ReplaySettings.windowStart(day - 1, day)).isZero();
    assertThat(ReplaySettings.windowStart(3 * day + 5, day)).isEqualTo(3 * day);
    assertThat(ReplaySettings.windowStart(-1, day)).isEqualTo(-day);
  }

  @Test
  void cutoffsAreCopiedSoCallersCannotChangeThem() {
    int[] ks = {5, 10};
    ReplaySettings s = ReplaySettings.of(ks, DAY, 100, "t");
    ks[1] = 1;
    s.cutoffs()[0] = 99;
    assertThat(s.cutoffs()).containsExactly(5, 10);
  }

  @Test
  void refusesBadSettings() {
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {}, DAY, 100, "t")).hasMessageContaining("at least one cutoff");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {0, 5}, DAY, 100, "t")).hasMessageContaining("must be >= 1, got 0");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {10, 5}, DAY, 100, "t")).hasMessageContaining("strictly ascending, got [10, 5]");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {5, 5}, DAY, 100, "t")).hasMessageContaining("strictly ascending");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {5}, Duration.ZERO, 100, "t")).hasMessageContaining("positive whole number of milliseconds");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {5}, Duration.ofNanos(1_500_000), 100, "t")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> new ReplaySettings(new int[] {5}, DAY, 0, 100, "t")).hasMessageContaining("headFraction must be in (0, 1]");
    assertThatThrownBy(() -> ReplaySettings.of(new int[] {5}, DAY, 0, "t")).hasMessageContaining("catalogueSize must be >= 1");
  }
}
