package org.lmrec.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwapWatchTest {
  @Test
  void anEarlierRunsVersionServedBeforeTheDemosOwnIsNoSwapAndNeverCountsLater() {
    SwapWatch watch = new SwapWatch("v1");
    // The compacted topic still announced v2 from the last run: served for the first moments.
    assertThat(watch.observe("v2")).isEmpty();
    assertThat(watch.observe("v1")).isEmpty();
    assertThat(watch.serving()).isEqualTo("v1");
    // A straggler of the old version is no swap either.
    assertThat(watch.observe("v2")).isEmpty();
    assertThat(watch.observe("v1")).isEmpty();
  }

  @Test
  void aNewVersionAfterTheDemosOwnIsOneSwapFromTheVersionItReplaced() {
    SwapWatch watch = new SwapWatch("v1");
    watch.observe("v1");
    assertThat(watch.observe("v3")).contains("v1");
    assertThat(watch.serving()).isEqualTo("v3");
    assertThat(watch.observe("v3")).isEmpty();
    assertThat(watch.observe("v1")).as("a late v1 recommendation from another subtask").isEmpty();
    assertThat(watch.observe("v4")).contains("v3");
  }
}
