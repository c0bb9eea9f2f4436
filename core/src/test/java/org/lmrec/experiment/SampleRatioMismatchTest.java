package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleRatioMismatchTest {
  @Test
  void matchesAHandComputedChiSquare() {
    // 100 vs 80 at 50/50: expected 90 each, chi2 = (100 + 100) / 90 = 2.2222, 1 df, p = 0.13604.
    SampleRatioMismatch.Result r = SampleRatioMismatch.test(new long[] {100, 80}, new int[] {1, 1});
    assertThat(r.chiSquare()).isCloseTo(20.0 / 9, within(1e-12));
    assertThat(r.degreesOfFreedom()).isEqualTo(1);
    assertThat(r.pValue()).isCloseTo(0.13604, within(1e-5));
    assertThat(r.alarm()).isFalse();
    // 10/30/60 weights with exact counts: chi2 = 0, p = 1.
    SampleRatioMismatch.Result exact = SampleRatioMismatch.test(new long[] {100, 300, 600}, new int[] {10, 30, 60});
    assertThat(exact.chiSquare()).isZero();
    assertThat(exact.degreesOfFreedom()).isEqualTo(2);
    assertThat(exact.pValue()).isCloseTo(1, within(1e-12));
  }

  @Test
  void alarmsWhenFivePercentOfOneArmsUsersAreLost() {
    // The same assignment log with and without a logging bug that drops 5% of the treatment's users.
    Experiment e = Experiments.fiftyFifty("srm");
    ArmAssigner assigner = new ArmAssigner();
    SplittableRandom rng = new SplittableRandom(2026);
    long[] balanced = new long[2];
    long[] skewed = new long[2];
    for (int i = 0; i < 100_000; i++) {
      int arm = assigner.arm(e, "user-" + i).orElseThrow().equals("control") ? 0 : 1;
      balanced[arm]++;
      if (arm == 0 || rng.nextDouble() >= 0.05) skewed[arm]++;
    }
    SampleRatioMismatch.Result ok = SampleRatioMismatch.test(balanced, new int[] {50, 50});
    SampleRatioMismatch.Result bad = SampleRatioMismatch.test(skewed, new int[] {50, 50});
    System.out.printf("SRM: balanced %s p=%.3g; 5%% of treatment dropped %s p=%.3g%n", java.util.Arrays.toString(balanced), ok.pValue(),
        java.util.Arrays.toString(skewed), bad.pValue());
    assertThat(ok.alarm()).isFalse();
    assertThat(bad.alarm()).isTrue();
    assertThat(bad.pValue()).isLessThan(SampleRatioMismatch.ALARM_P);
  }

  @Test
  void alarmsOnAThreeArmLogWithTheWrongRatio() {
    // Logged as if 10/30/60 but actually split 10/35/55.
    assertThat(SampleRatioMismatch.test(new long[] {10_000, 35_000, 55_000}, new int[] {10, 30, 60}).alarm()).isTrue();
    assertThat(SampleRatioMismatch.test(new long[] {10_000, 35_000, 55_000}, new int[] {10, 35, 55}).alarm()).isFalse();
  }

  @Test
  void falseAlarmRateOnCorrectLogsIsAboutTheThreshold() {
    // 2,000 correct 50/50 logs of 1,000 users each: at p < 0.001 expect ~2 alarms; more than 10 would mean a miscalibrated p-value.
    SplittableRandom rng = new SplittableRandom(7);
    int alarms = 0;
    for (int s = 0; s < 2_000; s++) {
      long[] counts = new long[2];
      for (int i = 0; i < 1_000; i++) counts[rng.nextInt(2)]++;
      if (SampleRatioMismatch.test(counts, new int[] {1, 1}).alarm()) alarms++;
    }
    assertThat(alarms).isLessThanOrEqualTo(10);
  }

  @Test
  void noExposuresIsNoAlarm() {
    SampleRatioMismatch.Result r = SampleRatioMismatch.test(new long[] {0, 0}, new int[] {1, 1});
    assertThat(r.alarm()).isFalse();
    assertThat(r.pValue()).isEqualTo(1);
  }

  @Test
  void refusesInconsistentInput() {
    assertThatThrownBy(() -> SampleRatioMismatch.test(new long[] {1, 2}, new int[] {1})).hasMessageContaining("2 arms but weights has 1");
    assertThatThrownBy(() -> SampleRatioMismatch.test(new long[] {1}, new int[] {1})).hasMessageContaining("at least 2 arms");
    assertThatThrownBy(() -> SampleRatioMismatch.test(new long[] {1, 2}, new int[] {1, 0})).hasMessageContaining("weights[1] must be positive, got 0");
    assertThatThrownBy(() -> SampleRatioMismatch.test(new long[] {-1, 2}, new int[] {1, 1})).hasMessageContaining("observedCounts[0] must be >= 0, got -1");
  }
}
