package org.lmrec.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChartAxesTest {
  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void aSingleValueGetsAPaddedRangeAndThreeDigitLabels() {
    ChartAxes.Range r = ChartAxes.valueRange(0.162701320761273, 0.162701320761273);
    assertThat(r.min()).isCloseTo(0.1464, within(1e-4));
    assertThat(r.max()).isCloseTo(0.1790, within(1e-4));
    int decimals = ChartAxes.decimals(r.span());
    assertThat(decimals).isEqualTo(3);
    assertThat(ChartAxes.valueLabel(0.162701320761273, decimals)).isEqualTo("0.163");
    assertThat(ChartAxes.valueRange(0, 0)).isEqualTo(new ChartAxes.Range(-0.01, 0.01));
    assertThat(ChartAxes.valueRange(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).isEqualTo(new ChartAxes.Range(0, 1));
  }

  @Test
  void labelsCarryOnlyTheDigitsTheTicksNeed() {
    assertThat(ChartAxes.decimals(0.06)).isEqualTo(3); // ticks ~0.005 apart
    assertThat(ChartAxes.decimals(0.2)).isEqualTo(2);
    assertThat(ChartAxes.decimals(3)).isEqualTo(1);
    assertThat(ChartAxes.decimals(500)).isZero();
    assertThat(ChartAxes.valueLabel(0.1, 2)).isEqualTo("0.10");
    assertThat(ChartAxes.valueLabel(-0.0004, 3)).isEqualTo("0.000"); // never "-0.000"
    assertThat(ChartAxes.valueLabel(-0.02, 2)).isEqualTo("-0.02");
    assertThat(ChartAxes.valueLabel(1234.5, 0)).isEqualTo("1235");
  }

  @Test
  void timeTicksShowClockTimeUnderADayWithTheDateInTheTitle() {
    ChartAxes.Range tenMinutes = ChartAxes.timeRange(at("2026-12-06T21:03:00Z"), at("2026-12-06T21:13:00Z"));
    assertThat(ChartAxes.timePattern((long) tenMinutes.span())).isEqualTo("HH:mm");
    assertThat(ChartAxes.timeTitle(tenMinutes)).isEqualTo("time (UTC) on 2026-12-06");

    ChartAxes.Range onePoint = ChartAxes.timeRange(at("2026-12-06T21:03:00Z"), at("2026-12-06T21:03:00Z"));
    assertThat(onePoint.span()).isEqualTo(2 * 60_000.0); // a minute either side: room for ticks
    assertThat(ChartAxes.timePattern((long) onePoint.span())).isEqualTo("HH:mm:ss");

    ChartAxes.Range overMidnight = ChartAxes.timeRange(at("2026-12-06T22:00:00Z"), at("2026-12-07T02:00:00Z"));
    assertThat(ChartAxes.timeTitle(overMidnight)).isEqualTo("time (UTC), 2026-12-06 to 2026-12-07");
  }

  @Test
  void longerSpansShowTheDate() {
    assertThat(ChartAxes.timePattern(5 * ChartAxes.DAY)).isEqualTo("MM-dd HH:mm");
    assertThat(ChartAxes.timePattern(30 * ChartAxes.DAY)).isEqualTo("yyyy-MM-dd");
    assertThat(ChartAxes.timePattern(3 * 365 * ChartAxes.DAY)).isEqualTo("yyyy-MM");
    ChartAxes.Range month = ChartAxes.timeRange(at("2026-11-06T00:00:00Z"), at("2026-12-06T00:00:00Z"));
    assertThat(ChartAxes.timeTitle(month)).isEqualTo("time (UTC)");
  }
}
