package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {
  @Test
  void matchesATwoPassComputation() {
    SplittableRandom rng = new SplittableRandom(11);
    double[] xs = new double[10_000];
    RunningMoments m = new RunningMoments();
    for (int i = 0; i < xs.length; i++) {
      xs[i] = 1e6 + rng.nextGaussian() * 3; // a large offset: the naive sum-of-squares formula would lose the variance
      m.add(xs[i]);
    }
    double mean = 0;
    for (double x : xs) mean += x / xs.length;
    double ss = 0;
    for (double x : xs) ss += (x - mean) * (x - mean);
    assertThat(m.count()).isEqualTo(10_000);
    assertThat(m.mean()).isCloseTo(mean, within(1e-9));
    assertThat(m.variance()).isCloseTo(ss / (xs.length - 1), within(1e-6));
    assertThat(m.variance()).isCloseTo(9, within(0.5));
  }

  @Test
  void bernoulliOutcomes() {
    RunningMoments m = new RunningMoments();
    for (int i = 0; i < 10; i++) m.add(i < 3 ? 1 : 0);
    assertThat(m.mean()).isEqualTo(0.3, within(1e-15));
    assertThat(m.variance()).isCloseTo(0.3 * 0.7 * 10 / 9, within(1e-15));
    assertThat(m.sumRounded()).isEqualTo(3);
  }

  @Test
  void mergingInAnyOrderGivesTheMomentsOfAllValues() {
    SplittableRandom rng = new SplittableRandom(5);
    RunningMoments all = new RunningMoments();
    RunningMoments[] parts = new RunningMoments[4];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new RunningMoments();
      for (int i = 0; i < 100 * (p + 1); i++) {
        double x = rng.nextDouble() * (p + 1) + p;
        parts[p].add(x);
        all.add(x);
      }
    }
    RunningMoments forward = new RunningMoments();
    for (RunningMoments p : parts) forward.merge(p);
    RunningMoments backward = parts[3].copy().merge(parts[2]).merge(parts[1].copy().merge(parts[0]));
    for (RunningMoments merged : new RunningMoments[] {forward, backward}) {
      assertThat(merged.count()).isEqualTo(all.count());
      assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-12));
      assertThat(merged.variance()).isCloseTo(all.variance(), within(1e-12));
    }
    // Merging leaves the argument alone, and empty merges change nothing.
    assertThat(parts[0].count()).isEqualTo(100);
    RunningMoments before = forward.copy();
    forward.merge(new RunningMoments());
    assertThat(forward.snapshot()).isEqualTo(before.snapshot());
    assertThat(new RunningMoments().merge(parts[1]).snapshot()).isEqualTo(parts[1].snapshot());
  }

  @Test
  void aSnapshotRestoresTheSameMomentsAndIsNotShared() {
    RunningMoments m = new RunningMoments().add(1).add(2).add(4);
    RunningMoments.Snapshot s = m.snapshot();
    RunningMoments restored = RunningMoments.of(s);
    assertThat(restored.snapshot()).isEqualTo(s);
    assertThat(s.variance()).isEqualTo(m.variance());
    m.add(100);
    assertThat(restored.count()).isEqualTo(3);
    assertThat(s.count()).isEqualTo(3);
  }

  @Test
  void varianceIsUndefinedBelowTwoValues() {
    assertThat(new RunningMoments().variance()).isNaN();
    assertThat(new RunningMoments().add(3).variance()).isNaN();
    assertThat(new RunningMoments().add(3).add(3).variance()).isZero();
  }

  @Test
  void refusesNonFiniteValuesAndImpossibleSnapshots() {
    assertThatThrownBy(() -> new RunningMoments().add(Double.NaN)).hasMessageContaining("value must be finite, got NaN");
    assertThatThrownBy(() -> new RunningMoments.Snapshot(-1, 0, 0)).hasMessageContaining("count must be >= 0, got -1");
    assertThatThrownBy(() -> new RunningMoments.Snapshot(3, 0, -1)).hasMessageContaining("m2 must be >= 0, got -1.0");
  }
}
