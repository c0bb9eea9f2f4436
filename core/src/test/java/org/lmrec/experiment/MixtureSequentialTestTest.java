package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mSPRT's arithmetic, state and edge cases; its error rates are in {@link MixtureSequentialSimulationTest}. */
class MixtureSequentialTestTest {
  private static RunningMoments bernoulli(long n, long hits) {
    RunningMoments m = new RunningMoments();
    for (long i = 0; i < n; i++) m.add(i < hits ? 1 : 0);
    return m;
  }

  @Test
  void likelihoodRatioIsTheNormalMixtureIntegral() {
    // Λ = ∫ N(θ̂; θ, V) / N(θ̂; 0, V) · N(θ; 0, τ²) dθ, integrated numerically (Simpson), against the closed form.
    double[][] cases = {{0.03, 2e-5, 0.0025}, {0.0, 2e-5, 0.0025}, {-0.01, 1e-4, 0.0025}, {0.5, 0.01, 1.0}};
    for (double[] c : cases) {
      double thetaHat = c[0];
      double v = c[1];
      double tau2 = c[2];
      double tau = Math.sqrt(tau2);
      int steps = 400_000;
      double lo = -12 * tau;
      double h = 24 * tau / steps;
      double sum = 0;
      for (int i = 0; i <= steps; i++) {
        double theta = lo + i * h;
        double f = Math.exp((-(thetaHat - theta) * (thetaHat - theta) + thetaHat * thetaHat) / (2 * v)) * Math.exp(-theta * theta / (2 * tau2)) / Math.sqrt(2 * Math.PI * tau2);
        sum += f * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
      }
      double numeric = Math.log(sum * h / 3);
      assertThat(MixtureSequentialTest.logLikelihoodRatio(thetaHat, v, tau2)).as("case %s", java.util.Arrays.toString(c)).isCloseTo(numeric, within(1e-6));
    }
  }

  @Test
  void theIntervalEndsAreWhereTheRatioAgainstThatDifferenceReachesOneOverAlpha() {
    // θ is in the confidence sequence exactly when the mSPRT of "difference = θ" has not rejected.
    double v = 3e-5;
    double tau2 = 0.0025;
    double half = MixtureSequentialTest.halfWidth(v, tau2, 0.05);
    assertThat(MixtureSequentialTest.logLikelihoodRatio(half, v, tau2)).isCloseTo(Math.log(1 / 0.05), within(1e-9));
    assertThat(MixtureSequentialTest.logLikelihoodRatio(-half, v, tau2)).isCloseTo(Math.log(1 / 0.05), within(1e-9));
  }

  @Test
  void aClearDifferenceIsSignificantAndItsIntervalExcludesZero() {
    MixtureSequentialTest test = new MixtureSequentialTest();
    MixtureSequentialTest.Look look = test.update(bernoulli(10_000, 1_000), bernoulli(10_000, 1_300));
    assertThat(look.nControl()).isEqualTo(10_000);
    assertThat(look.nTreatment()).isEqualTo(10_000);
    assertThat(look.difference()).isCloseTo(0.03, within(1e-12));
    assertThat(look.significant()).isTrue();
    assertThat(look.alwaysValidP()).isLessThan(1e-6);
    assertThat(look.lower()).isPositive();
    assertThat(look.upper()).isGreaterThan(0.03);
    // A small difference on little data is not.
    MixtureSequentialTest.Look weak = new MixtureSequentialTest().update(bernoulli(500, 50), bernoulli(500, 60));
    assertThat(weak.significant()).isFalse();
    assertThat(weak.alwaysValidP()).isGreaterThan(0.05);
    assertThat(weak.lower()).isNegative();
    assertThat(weak.upper()).isPositive();
  }

  @Test
  void tooLittleDataGivesNoDecision() {
    MixtureSequentialTest test = new MixtureSequentialTest();
    MixtureSequentialTest.Look empty = test.update(new RunningMoments(), bernoulli(10, 5));
    assertThat(empty.difference()).isNaN();
    assertThat(empty.alwaysValidP()).isEqualTo(1);
    assertThat(empty.lower()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(empty.upper()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(empty.significant()).isFalse();
    MixtureSequentialTest.Look one = test.update(bernoulli(1, 1), bernoulli(10, 5));
    assertThat(one.difference()).isCloseTo(-0.5, within(1e-12));
    assertThat(one.alwaysValidP()).isEqualTo(1);
    // No hits anywhere yet: zero variance says nothing.
    MixtureSequentialTest.Look noHits = test.update(bernoulli(1_000, 0), bernoulli(1_000, 0));
    assertThat(noHits.alwaysValidP()).isEqualTo(1);
    assertThat(noHits.upper()).isInfinite();
    assertThat(test.state().looks()).isZero();
  }

  @Test
  void thePValueNeverRisesAndTheIntervalNeverWidens() {
    SplittableRandom rng = new SplittableRandom(3);
    MixtureSequentialTest test = new MixtureSequentialTest();
    RunningMoments c = new RunningMoments();
    RunningMoments t = new RunningMoments();
    MixtureSequentialTest.Look previous = null;
    boolean sawFreshPAboveRunningMin = false;
    for (int batch = 0; batch < 60; batch++) {
      // An effect early that vanishes later: per-look p-values go down, then back up.
      double pT = batch < 10 ? 0.16 : 0.08;
      for (int i = 0; i < 200; i++) {
        c.add(rng.nextDouble() < 0.1 ? 1 : 0);
        t.add(rng.nextDouble() < pT ? 1 : 0);
      }
      MixtureSequentialTest.Look look = test.update(c, t);
      if (previous != null) {
        assertThat(look.alwaysValidP()).isLessThanOrEqualTo(previous.alwaysValidP());
        assertThat(look.lower()).isGreaterThanOrEqualTo(previous.lower());
        assertThat(look.upper()).isLessThanOrEqualTo(previous.upper());
        double fresh = Math.min(1, Math.exp(-MixtureSequentialTest.logLikelihoodRatio(look.difference(), t.variance() / t.count() + c.variance() / c.count(), 0.0025)));
        if (fresh > look.alwaysValidP()) sawFreshPAboveRunningMin = true;
      }
      assertThat(look.significant()).isEqualTo(look.alwaysValidP() < 0.05);
      assertThat(look.significant()).isEqualTo(look.lower() > 0 || look.upper() < 0);
      previous = look;
    }
    assertThat(sawFreshPAboveRunningMin).as("the scenario must make a single look's p rise, or the test shows nothing").isTrue();
    assertThat(test.state().looks()).isEqualTo(60);
  }

  @Test
  void aRestoredTestContinuesExactlyAsTheOriginal() {
    SplittableRandom rng = new SplittableRandom(9);
    MixtureSequentialTest original = new MixtureSequentialTest(0.1, 0.02);
    MixtureSequentialTest restored = null;
    RunningMoments c = new RunningMoments();
    RunningMoments t = new RunningMoments();
    List<MixtureSequentialTest.Look> fromOriginal = new ArrayList<>();
    List<MixtureSequentialTest.Look> fromRestored = new ArrayList<>();
    for (int batch = 0; batch < 20; batch++) {
      for (int i = 0; i < 300; i++) {
        c.add(rng.nextDouble() < 0.2 ? 1 : 0);
        t.add(rng.nextDouble() < 0.22 ? 1 : 0);
      }
      if (batch == 10) restored = MixtureSequentialTest.restore(original.state());
      MixtureSequentialTest.Look look = original.update(c, t);
      if (restored != null) {
        fromOriginal.add(look);
        fromRestored.add(restored.update(c.snapshot(), t.snapshot()));
      }
    }
    assertThat(fromRestored).isEqualTo(fromOriginal);
    assertThat(restored.state()).isEqualTo(original.state());
    assertThat(restored.alpha()).isEqualTo(0.1);
    assertThat(restored.tau()).isEqualTo(0.02);
  }

  @Test
  void refusesBadParametersAndStates() {
    assertThatThrownBy(() -> new MixtureSequentialTest(0, 0.05)).hasMessageContaining("alpha must be in (0, 1), got 0.0");
    assertThatThrownBy(() -> new MixtureSequentialTest(0.05, 0)).hasMessageContaining("tau must be positive and finite, got 0.0");
    assertThatThrownBy(() -> MixtureSequentialTest.restore(new MixtureSequentialTest.State(0.05, 0.05, 1, 1.5, 0, 1)))
        .hasMessageContaining("state.alwaysValidP must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> MixtureSequentialTest.restore(new MixtureSequentialTest.State(0.05, 0.05, -1, 1, 0, 1))).hasMessageContaining("state.looks");
    assertThatThrownBy(() -> MixtureSequentialTest.restore(new MixtureSequentialTest.State(0.05, 0.05, 1, 1, Double.NaN, 1))).hasMessageContaining("NaN");
  }
}
