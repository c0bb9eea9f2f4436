package org.lmrec.stream.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lmrec.stream.state.UserSequence.Outcome;

class UserSequenceTest {
  @Test
  void keepsTheNewestEntriesInEventTimeOrder() {
    UserSequence s = new UserSequence(3);
    assertThat(s.add("a", 10, 1)).isEqualTo(Outcome.ADDED);
    assertThat(s.add("c", 30, 3)).isEqualTo(Outcome.ADDED);
    assertThat(s.add("b", 20, 2)).isEqualTo(Outcome.ADDED); // late: goes between a and c
    assertThat(s.itemIds()).containsExactly("a", "b", "c");
    assertThat(s.add("d", 40, 4)).isEqualTo(Outcome.ADDED); // full: a falls out
    assertThat(s.itemIds()).containsExactly("b", "c", "d");
    assertThat(s.add("x", 25, 5)).isEqualTo(Outcome.ADDED); // full and late: b falls out, x enters before c
    assertThat(s.itemIds()).containsExactly("x", "c", "d");
    assertThat(s.eventTimes()).containsExactly(25, 30, 40);
    assertThat(s.add("old", 1, 6)).isEqualTo(Outcome.OLDER_THAN_WINDOW);
    assertThat(s.itemIds()).containsExactly("x", "c", "d");
    assertThat(s.acceptedEvents()).isEqualTo(6);
  }

  @Test
  void aRedeliveredEventChangesNothing() {
    UserSequence s = new UserSequence(5);
    s.add("a", 10, 1);
    s.add("b", 20, 2);
    assertThat(s.add("b", 20, 2)).isEqualTo(Outcome.DUPLICATE);
    assertThat(s.add("a-again", 30, 1)).isEqualTo(Outcome.DUPLICATE);
    assertThat(s.itemIds()).containsExactly("a", "b");
    assertThat(s.acceptedEvents()).isEqualTo(2);
  }

  @Test
  void equalTimesKeepArrivalOrder() {
    UserSequence s = new UserSequence(4);
    s.add("first", 5, 1);
    s.add("second", 5, 2);
    s.add("third", 5, 3);
    assertThat(s.itemIds()).containsExactly("first", "second", "third");
  }

  @Test
  void roundTripsThroughItsStateRecordAndShrinksToASmallerCapacity() {
    UserSequence s = new UserSequence(4);
    for (int i = 0; i < 4; i++) s.add("i" + i, i, 100 + i);
    UserSequence same = UserSequence.from(s.toState(), 4);
    assertThat(same.itemIds()).containsExactly("i0", "i1", "i2", "i3");
    assertThat(same.add("dup", 9, 102)).isEqualTo(Outcome.DUPLICATE);
    assertThat(same.acceptedEvents()).isEqualTo(4);
    assertThat(UserSequence.from(s.toState(), 2).itemIds()).containsExactly("i2", "i3");
  }

  @Test
  void eventIdHashIsStableAndSpreads() {
    assertThat(EventIdHash.of("e-1")).isEqualTo(EventIdHash.of("e-1"));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) seen.add(EventIdHash.of("event-" + i));
    assertThat(seen).hasSize(100_000);
  }
}
