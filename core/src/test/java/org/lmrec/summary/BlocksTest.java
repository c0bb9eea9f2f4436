package org.lmrec.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlocksTest {
  static List<Integer> history(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void completeBlocksCountFromTheStartAndTheRestIsPending() {
    Blocks<Integer> b = Blocks.of(history(12), 5, 5);
    assertThat(b.complete()).containsExactly(List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9));
    assertThat(b.pending()).containsExactly(10, 11);
  }

  @Test
  void keepsOnlyTheMostRecentMaxBlocks() {
    Blocks<Integer> b = Blocks.of(history(33), 5, 5);
    assertThat(b.complete()).hasSize(5);
    assertThat(b.complete().get(0)).containsExactly(5, 6, 7, 8, 9);
    assertThat(b.complete().get(4)).containsExactly(25, 26, 27, 28, 29);
    assertThat(b.pending()).containsExactly(30, 31, 32);
  }

  @Test
  void aShortHistoryIsAllPending() {
    Blocks<Integer> b = Blocks.of(history(4), 5, 5);
    assertThat(b.complete()).isEmpty();
    assertThat(b.pending()).containsExactly(0, 1, 2, 3);
    assertThat(Blocks.of(history(0), 5, 5).pending()).isEmpty();
  }

  @Test
  void aBlockNeverChangesOnceComplete() {
    // What lets a stream summarise each block once: appending items only adds blocks at the end.
    for (int n = 5; n < 25; n++) {
      assertThat(Blocks.of(history(n + 1), 5, 5).complete()).startsWith(Blocks.of(history(n), 5, 5).complete().toArray(List[]::new));
    }
  }

  @Test
  void refusesSizesBelowOne() {
    assertThatThrownBy(() -> Blocks.of(history(3), 0, 5)).hasMessageContaining("block size");
    assertThatThrownBy(() -> Blocks.of(history(3), 5, 0)).hasMessageContaining("max blocks");
  }
}
