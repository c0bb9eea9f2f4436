package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lmrec.experiment.OutcomeHorizon.Exposure;
import org.lmrec.experiment.OutcomeHorizon.Step;

class OutcomeHorizonTest {
  static final long MIN = 60_000;
  final OutcomeHorizon horizon = new OutcomeHorizon(3, Duration.ofMinutes(30));
  final Exposure shown = new Exposure("exp", "b", "v2", "u", "e5", 100 * MIN, List.of("a", "b", "c"));

  @Test
  void theNextInteractionGivesTheReciprocalRankAndAnyShownItemInTheHorizonAHit() {
    List<Step> steps = List.of(new Step("e4", "c", 99 * MIN), new Step("e5", "x", 100 * MIN), // before and the trigger itself
        new Step("e6", "b", 101 * MIN), new Step("e7", "z", 102 * MIN));
    OutcomeHorizon.Outcome o = horizon.outcome(shown, steps);
    assertThat(o.hit()).isTrue();
    assertThat(o.reciprocalRank()).isEqualTo(0.5); // b was shown second
    assertThat(o.eventsSeen()).isEqualTo(2);
  }

  @Test
  void aShownItemLaterInTheHorizonIsAHitButNotARank() {
    OutcomeHorizon.Outcome o = horizon.outcome(shown, List.of(new Step("e6", "z", 101 * MIN), new Step("e7", "a", 103 * MIN)));
    assertThat(o.hit()).isTrue();
    assertThat(o.reciprocalRank()).isZero();
  }

  @Test
  void onlyTheNextEventsAndMinutesOfTheHorizonCount() {
    List<Step> late = List.of(new Step("e6", "z", 101 * MIN), new Step("e7", "y", 102 * MIN), new Step("e8", "x", 103 * MIN),
        new Step("e9", "a", 104 * MIN)); // 4th event: outside a 3-event horizon
    assertThat(horizon.outcome(shown, late).hit()).isFalse();
    assertThat(horizon.isClosed(shown, late, 104 * MIN)).isTrue();
    List<Step> slow = List.of(new Step("e6", "a", 131 * MIN)); // 31 minutes later
    assertThat(horizon.outcome(shown, slow).hit()).isFalse();
    assertThat(horizon.isClosed(shown, List.of(), 130 * MIN)).isFalse();
    assertThat(horizon.isClosed(shown, List.of(), 130 * MIN + 1)).isTrue();
  }

  @Test
  void tiesAtTheTriggersMillisecondAreOrderedByEventIdAndTheOrderOfArrivalDoesNotMatter() {
    List<Step> steps = List.of(new Step("e9", "c", 101 * MIN), new Step("e6", "a", 100 * MIN), new Step("e4", "b", 100 * MIN));
    OutcomeHorizon.Outcome o = horizon.outcome(shown, steps);
    assertThat(o.eventsSeen()).isEqualTo(2); // e6 (same ms, later id) and e9; not e4
    assertThat(o.reciprocalRank()).isEqualTo(1.0); // next is e6: item a, shown first
  }

  @Test
  void anEmptyListIsNeverAHitAndIsFlagged() {
    Exposure empty = new Exposure("exp", "b", "v2", "u", "e5", 100 * MIN, List.of());
    OutcomeHorizon.Outcome o = horizon.outcome(empty, List.of(new Step("e6", "a", 101 * MIN)));
    assertThat(o.emptyList()).isTrue();
    assertThat(o.hit()).isFalse();
    assertThat(o.reciprocalRank()).isZero();
  }

  @Test
  void refusesAnEmptyHorizon() {
    assertThatThrownBy(() -> new OutcomeHorizon(0, Duration.ofMinutes(1))).hasMessageContaining("at least 1 event");
    assertThatThrownBy(() -> new OutcomeHorizon(1, Duration.ZERO)).hasMessageContaining("positive");
  }
}
