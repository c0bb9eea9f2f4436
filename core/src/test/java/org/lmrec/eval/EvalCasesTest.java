package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvalCasesTest {
  private static final List<EvalCase> CASES =
      IntStream.range(0, 50).mapToObj(u -> new EvalCase(u, new int[] {1}, 2)).toList();

  private static int[] users(List<EvalCase> cases) {
    return cases.stream().mapToInt(EvalCase::user).toArray();
  }

  @Test
  void sampleHasTheRequestedSizeDistinctCasesAndOriginalOrder() {
    List<EvalCase> sample = EvalCases.sample(CASES, 10, 3L);
    int[] users = users(sample);
    assertThat(users).hasSize(10).isSorted().doesNotHaveDuplicates();
    assertThat(users).isNotEqualTo(IntStream.range(0, 10).toArray()); // not simply the first ten
  }

  @Test
  void sampleIsDeterministicForASeedAndDiffersForAnother() {
    assertThat(users(EvalCases.sample(CASES, 10, 3L))).isEqualTo(users(EvalCases.sample(CASES, 10, 3L)));
    assertThat(users(EvalCases.sample(CASES, 10, 4L))).isNotEqualTo(users(EvalCases.sample(CASES, 10, 3L)));
  }

  @Test
  void smallListsAreKeptWhole() {
    assertThat(EvalCases.sample(CASES, 50, 3L)).isEqualTo(CASES);
    assertThat(EvalCases.sample(CASES, 1000, 3L)).isEqualTo(CASES);
    assertThat(EvalCases.sample(CASES, 0, 3L)).isEmpty();
    assertThatThrownBy(() -> EvalCases.sample(CASES, -1, 3L)).hasMessageContaining("max must be >= 0");
  }
}
