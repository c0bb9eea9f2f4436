package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Error rates of the always-valid test under continuous monitoring: simulated experiments with
 * Bernoulli outcomes (hit or not), peeking after every batch.
 */
class MixtureSequentialSimulationTest {
  private static final double ALPHA = 0.05;
  private static final int BATCHES = 40;
  private static final int PER_BATCH = 250;

  /** What a set of simulations saw. */
  private record Outcome(double everSignificant, double naiveEverSignificant, double[] coverageByLook) {
    double worstCoverage() {
      double worst = 1;
      for (double c : coverageByLook) worst = Math.min(worst, c);
      return worst;
    }
  }

  private static Outcome simulate(int simulations, double pControl, double pTreatment, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double trueDifference = pTreatment - pControl;
    int significant = 0;
    int naiveSignificant = 0;
    int[] covered = new int[BATCHES];
    for (int s = 0; s < simulations; s++) {
      MixtureSequentialTest test = new MixtureSequentialTest(ALPHA, MixtureSequentialTest.DEFAULT_TAU);
      RunningMoments c = new RunningMoments();
      RunningMoments t = new RunningMoments();
      boolean ever = false;
      boolean naiveEver = false;
      for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < PER_BATCH; i++) {
          c.add(rng.nextDouble() < pControl ? 1 : 0);
          t.add(rng.nextDouble() < pTreatment ? 1 : 0);
        }
        MixtureSequentialTest.Look look = test.update(c, t);
        ever |= look.significant();
        if (look.lower() <= trueDifference && trueDifference <= look.upper()) covered[b]++;
        // For contrast: a fixed-sample two-sided z-test at the same α, peeked at after every batch.
        double z = look.difference() / Math.sqrt(c.variance() / c.count() + t.variance() / t.count());
        naiveEver |= Math.abs(z) > 1.959964;
      }
      if (ever) significant++;
      if (naiveEver) naiveSignificant++;
    }
    double[] coverage = new double[BATCHES];
    for (int b = 0; b < BATCHES; b++) coverage[b] = covered[b] / (double) simulations;
    return new Outcome(significant / (double) simulations, naiveSignificant / (double) simulations, coverage);
  }

  @Test
  void aaFalsePositivesStayUnderAlphaWhenPeekingAfterEveryBatch() {
    Outcome aa = simulate(2_000, 0.1, 0.1, 20261124L);
    System.out.printf("A/A (2,000 runs, %d looks of %d per arm): always-valid false-positive rate %.3f (alpha %.2f); "
        + "naive z-test peeked every batch %.3f; worst per-look coverage %.3f%n", BATCHES, PER_BATCH, aa.everSignificant(), ALPHA, aa.naiveEverSignificant(), aa.worstCoverage());
    assertThat(aa.everSignificant()).isLessThan(ALPHA);
    for (int b = 0; b < BATCHES; b++) assertThat(aa.coverageByLook()[b]).as("coverage at look %d", b + 1).isGreaterThanOrEqualTo(0.95);
    // The simulation is sensitive enough to see the problem the test solves: peeking inflates a fixed-sample test's error.
    assertThat(aa.naiveEverSignificant()).isGreaterThan(2 * ALPHA);
  }

  @Test
  void aRealEffectIsFoundByTheEnd() {
    Outcome effect = simulate(200, 0.10, 0.13, 777L);
    System.out.printf("power (200 runs, 0.10 vs 0.13, %d per arm by the end): %.3f significant; worst per-look coverage of 0.03 %.3f%n",
        BATCHES * PER_BATCH, effect.everSignificant(), effect.worstCoverage());
    assertThat(effect.everSignificant()).isGreaterThan(0.8);
    assertThat(effect.worstCoverage()).isGreaterThanOrEqualTo(0.95);
  }
}
