package org.lmrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayOutcomeTest {
  @Test
  void ofFindsTheRankOfTheNextItemOrMinusOne() {
    ReplayOutcome hit = ReplayOutcome.of("v3", "u1", "e1", 10L, "b", List.of("a", "b", "c"));
    assertThat(hit.rank()).isEqualTo(1);
    assertThat(hit.listSize()).isEqualTo(3);
    assertThat(hit.isHit()).isTrue();
    ReplayOutcome miss = ReplayOutcome.of("v3", "u1", "e2", 11L, "z", List.of("a", "b", "c"));
    assertThat(miss.rank()).isEqualTo(-1);
    assertThat(miss.isHit()).isFalse();
    ReplayOutcome empty = ReplayOutcome.of("v3", "u1", "e3", 12L, "a", List.of());
    assertThat(empty.rank()).isEqualTo(-1);
    assertThat(empty.isEmptyList()).isTrue();
  }

  @Test
  void refusesInconsistentFields() {
    assertThatThrownBy(() -> new ReplayOutcome("v3", "u", "e7", 0, "b", 0, 2, List.of("a", "b")))
        .hasMessageContaining("event 'e7'").hasMessageContaining("rank is 0 but next item 'b' is at position 1");
    assertThatThrownBy(() -> new ReplayOutcome("v3", "u", "e7", 0, "z", 0, 2, List.of("a", "b")))
        .hasMessageContaining("rank -1");
    assertThatThrownBy(() -> new ReplayOutcome("v3", "u", "e7", 0, "a", 0, 3, List.of("a", "b")))
        .hasMessageContaining("listSize is 3 but 2 items were shown");
    assertThatThrownBy(() -> ReplayOutcome.of("v3", "u", "e7", 0, "a", List.of("a", "b", "a")))
        .hasMessageContaining("item 'a' is shown twice");
    assertThatThrownBy(() -> ReplayOutcome.of(null, "u", "e7", 0, "a", List.of())).hasMessageContaining("model is null");
  }

  @Test
  void keepsItsOwnCopyOfTheList() {
    java.util.ArrayList<String> shown = new java.util.ArrayList<>(List.of("a", "b"));
    ReplayOutcome o = ReplayOutcome.of("v3", "u", "e", 0, "b", shown);
    shown.set(1, "c");
    assertThat(o.shown()).containsExactly("a", "b");
  }
}
