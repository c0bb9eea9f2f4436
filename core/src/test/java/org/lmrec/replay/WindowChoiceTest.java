package org.lmrec.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowChoiceTest {
  private static final long T0 = 1_765_054_980_000L; // 2025-12-06T21:03:00Z, not on a round boundary

  private static Duration choose(Duration span) {
    return Duration.ofMillis(WindowChoice.forSpan(T0, T0 + span.toMillis()));
  }

  private static long points(Duration span) {
    long w = WindowChoice.forSpan(T0, T0 + span.toMillis());
    return WindowChoice.windows(T0, T0 + span.toMillis(), w);
  }

  @Test
  void choosesRoundWindowsFromTheSpan() {
    assertThat(choose(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    assertThat(choose(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(10)); // the demo's archive
    assertThat(choose(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(choose(Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(30));
    assertThat(choose(Duration.ofDays(30))).isEqualTo(Duration.ofHours(12));
    assertThat(choose(Duration.ofDays(365))).isEqualTo(Duration.ofDays(4));
  }

  @Test
  void givesTwentyToOneHundredPointsForAnySpanOverOneHundredSeconds() {
    for (long s = 101; s < 3L * 365 * 86_400; s = s * 11 / 10 + 7) {
      assertThat(points(Duration.ofSeconds(s))).as("span %d s", s).isBetween(20L, 100L);
    }
  }

  @Test
  void eachWidthDividesTheNextSoWindowsNest() {
    long previous = WindowChoice.finestMillis();
    for (long s = 1; s < 3L * 365 * 86_400; s = s * 11 / 10 + 1) {
      long w = WindowChoice.forSpan(0, s * 1000);
      assertThat(w % previous).as("%d ms after %d ms", w, previous).isZero();
      previous = w;
    }
  }
}
