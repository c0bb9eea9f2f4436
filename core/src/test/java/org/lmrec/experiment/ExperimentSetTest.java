package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.lmrec.experiment.Experiments.DAY;
import static org.lmrec.experiment.Experiments.START;
import static org.lmrec.experiment.Experiments.STOP;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lmrec.experiment.ExperimentSet.Change;
import org.lmrec.experiment.ExperimentSet.Change.Outcome;

class ExperimentSetTest {
  private static final long BEFORE = START.toEpochMilli() - DAY;
  private static final long RUNNING = START.toEpochMilli() + DAY;

  private static ExperimentSet started(Experiment e) {
    ExperimentSet set = new ExperimentSet();
    assertThat(set.apply(e, RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
    return set;
  }

  private static void assertRefused(Experiment known, Experiment next, String reasonPart) {
    ExperimentSet set = started(known);
    Change c = set.apply(next, RUNNING);
    assertThat(c.outcome()).as(c.reason()).isEqualTo(Outcome.REFUSED);
    assertThat(c.accepted()).isFalse();
    assertThat(c.reason()).contains(reasonPart).contains("version " + known.version() + " stays in force");
    assertThat(set.get(known.id())).contains(known);
    // The known version did not advance: a corrected definition one version up is accepted.
    assertThat(set.apply(known.withStop(STOP.plusSeconds(60)).withVersion(next.version()), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_UPDATE);
  }

  @Test
  void acceptsANewExperimentEvenIfItStartedAlready() {
    ExperimentSet set = new ExperimentSet();
    Change c = set.apply(Experiments.fiftyFifty("x"), RUNNING); // e.g. re-read from the compacted topic after a restart
    assertThat(c.outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
    assertThat(c.accepted()).isTrue();
    assertThat(set.size()).isEqualTo(1);
  }

  @Test
  void refusesANewExperimentBeyondTheCapUntilAnotherIsRemoved() {
    ExperimentSet set = new ExperimentSet(2);
    assertThat(set.apply(Experiments.fiftyFifty("a"), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
    assertThat(set.apply(Experiments.fiftyFifty("b"), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
    Change third = set.apply(Experiments.fiftyFifty("c"), RUNNING);
    assertThat(third.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(third.reason()).contains("2 experiments are known already");
    assertThat(set.size()).isEqualTo(2);
    // Updates of known experiments are not new ones: still accepted at the cap.
    assertThat(set.apply(Experiments.fiftyFifty("a").withStop(STOP.plusSeconds(60)).withVersion(2), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_UPDATE);
    set.applyTombstone("b");
    assertThat(set.apply(Experiments.fiftyFifty("c"), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
  }

  @Test
  void ignoresStaleAndRedeliveredVersions() {
    Experiment v2 = Experiments.fiftyFifty("x").withVersion(2);
    ExperimentSet set = started(v2);
    Change same = set.apply(v2, RUNNING);
    assertThat(same.outcome()).isEqualTo(Outcome.IGNORED_STALE);
    assertThat(same.reason()).isEqualTo("version 2 <= known version 2");
    Change older = set.apply(Experiments.withSalt(v2, "other").withVersion(1), RUNNING);
    assertThat(older.outcome()).isEqualTo(Outcome.IGNORED_STALE);
    Change reused = set.apply(Experiments.withSalt(v2, "other"), RUNNING);
    assertThat(reused.outcome()).isEqualTo(Outcome.IGNORED_STALE);
    assertThat(reused.reason()).contains("version number reused");
    assertThat(set.get("x")).contains(v2);
  }

  @Test
  void beforeTheStartAnythingMayChange() {
    Experiment known = Experiments.fiftyFifty("x");
    ExperimentSet set = new ExperimentSet();
    set.apply(known, BEFORE);
    Experiment changed = new Experiment("x", 2, "new-salt", List.of(new Arm("b", 1, ModelRef.version("v9")), new Arm("a", 3, ModelRef.line("main"))),
        START.plusSeconds(3600), null, new PopulationFilter(0.5, "u"), "reciprocalRank");
    Change c = set.apply(changed, BEFORE);
    assertThat(c.outcome()).as(c.reason()).isEqualTo(Outcome.ACCEPTED_UPDATE);
    assertThat(c.reason()).contains("not started yet").contains("salt changed").contains("arms changed");
    assertThat(set.get("x")).contains(changed);
  }

  @Test
  void aStartedExperimentMayMoveItsStop() {
    Experiment known = Experiments.fiftyFifty("x");
    ExperimentSet set = started(known);
    Instant later = STOP.plusSeconds(7 * 86_400);
    Change extended = set.apply(known.withStop(later).withVersion(2), RUNNING);
    assertThat(extended.outcome()).isEqualTo(Outcome.ACCEPTED_UPDATE);
    assertThat(extended.reason()).contains("stop " + STOP + " -> " + later);
    assertThat(set.apply(known.withStop(null).withVersion(3), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_UPDATE);
    Change stopNow = set.apply(known.withStop(Instant.ofEpochMilli(RUNNING)).withVersion(4), RUNNING);
    assertThat(stopNow.outcome()).as(stopNow.reason()).isEqualTo(Outcome.ACCEPTED_UPDATE);
    assertThat(set.get("x").orElseThrow().isActiveAt(RUNNING)).isFalse();
  }

  @Test
  void refusesAStopInThePast() {
    Experiment known = Experiments.fiftyFifty("x");
    assertRefused(known, known.withStop(Instant.ofEpochMilli(RUNNING - 1)).withVersion(2), "is before now");
  }

  @Test
  void refusesANewSaltOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    assertRefused(known, Experiments.withSalt(known, "x-salt-2").withVersion(2), "salt changed");
  }

  @Test
  void refusesANewStartOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    assertRefused(known, Experiments.withStart(known, START.plusSeconds(1)).withVersion(2), "start moved");
    assertRefused(known, Experiments.withStart(known, START.minusSeconds(1)).withVersion(2), "start moved");
  }

  @Test
  void refusesRenamedAddedRemovedOrReorderedArmsOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    Arm control = known.arms().get(0);
    Arm treatment = known.arms().get(1);
    assertRefused(known, Experiments.withArms(known, List.of(control, new Arm("treatment-2", 50, treatment.model()))).withVersion(2), "arms changed");
    assertRefused(known, Experiments.withArms(known, List.of(control, treatment, new Arm("c", 50, treatment.model()))).withVersion(2), "arms changed");
    assertRefused(known, Experiments.withArms(known, List.of(treatment, control)).withVersion(2), "arms changed from [control, treatment] to [treatment, control]");
  }

  @Test
  void refusesNewWeightsOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    Experiment next = Experiments.withArms(known, List.of(new Arm("control", 40, ModelRef.line("main")), new Arm("treatment", 60, ModelRef.line("candidate-b"))));
    assertRefused(known, next.withVersion(2), "weights changed from [50, 50] to [40, 60]");
  }

  @Test
  void refusesScaledWeightsToo() {
    // 50/50 -> 1/1 keeps the split, but it is still a config change on a running experiment; refuse rather than reason about equivalence.
    Experiment known = Experiments.fiftyFifty("x");
    Experiment next = Experiments.withArms(known, List.of(new Arm("control", 1, ModelRef.line("main")), new Arm("treatment", 1, ModelRef.line("candidate-b"))));
    assertRefused(known, next.withVersion(2), "weights changed");
  }

  @Test
  void refusesANewModelOnceStartedAndSaysToStartANewExperiment() {
    Experiment known = Experiments.fiftyFifty("x");
    Experiment next = Experiments.withArms(known, List.of(known.arms().get(0), new Arm("treatment", 50, ModelRef.version("v7"))));
    assertRefused(known, next.withVersion(2), "arm 'treatment' model changed from line:candidate-b to version:v7");
    assertRefused(known, next.withVersion(2), "start a new experiment");
  }

  @Test
  void refusesANewPopulationOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    assertRefused(known, Experiments.withPopulation(known, new PopulationFilter(0.5, null)).withVersion(2), "population changed");
    assertRefused(known, Experiments.withPopulation(known, new PopulationFilter(1, "u")).withVersion(2), "population changed");
  }

  @Test
  void refusesANewMetricOnceStarted() {
    Experiment known = Experiments.fiftyFifty("x");
    assertRefused(known, Experiments.withMetric(known, "reciprocalRank").withVersion(2), "metric changed from 'hit' to 'reciprocalRank'");
  }

  @Test
  void listsEveryRefusalReason() {
    Experiment known = Experiments.fiftyFifty("x");
    ExperimentSet set = started(known);
    Change c = set.apply(Experiments.withMetric(Experiments.withSalt(known, "s2"), "reciprocalRank").withVersion(2), RUNNING);
    assertThat(c.reason()).contains("salt changed").contains("metric changed");
  }

  @Test
  void tombstonesRemoveAndStaleRedeliveriesDoNotResurrect() {
    Experiment v3 = Experiments.fiftyFifty("x").withVersion(3);
    ExperimentSet set = started(v3);
    assertThat(set.applyTombstone("x")).isTrue();
    assertThat(set.applyTombstone("x")).isFalse();
    assertThat(set.get("x")).isEmpty();
    assertThat(set.assign("user-1", RUNNING)).isEmpty();
    assertThat(set.apply(v3, RUNNING).outcome()).isEqualTo(Outcome.IGNORED_STALE);
    // A genuinely newer definition under the same id is a new experiment, free to differ.
    Change again = set.apply(Experiments.withSalt(v3, "fresh").withVersion(4), RUNNING);
    assertThat(again.outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
  }

  @Test
  void aRememberedRemovalStillRefusesStaleRedeliveries() {
    Experiment v3 = Experiments.fiftyFifty("x").withVersion(3);
    ExperimentSet before = started(v3);
    before.applyTombstone("x");
    assertThat(before.removedVersion("x")).hasValue(3);

    ExperimentSet restored = new ExperimentSet();
    restored.rememberRemoved("x", before.removedVersion("x").getAsInt());
    assertThat(restored.apply(v3, RUNNING).outcome()).isEqualTo(Outcome.IGNORED_STALE);
    assertThat(restored.apply(v3.withVersion(4), RUNNING).outcome()).isEqualTo(Outcome.ACCEPTED_NEW);
    assertThat(restored.removedVersion("x")).isEmpty();
  }

  @Test
  void assignsOnlyWhileActiveAndTagsTheVersionAndModel() {
    Experiment e = Experiments.fiftyFifty("x").withVersion(5);
    ExperimentSet set = started(e);
    assertThat(set.assign("user-1", START.toEpochMilli() - 1)).isEmpty();
    assertThat(set.assign("user-1", STOP.toEpochMilli())).isEmpty();
    Assignment a = set.assign("user-1", START.toEpochMilli()).orElseThrow();
    assertThat(a.experimentId()).isEqualTo("x");
    assertThat(a.experimentVersion()).isEqualTo(5);
    assertThat(a.arm()).isEqualTo(new ArmAssigner().arm(e, "user-1").orElseThrow());
    assertThat(a.model()).isEqualTo(a.arm().equals("control") ? ModelRef.line("main") : ModelRef.line("candidate-b"));
  }

  @Test
  void layeringPutsAUserInTheFirstExperimentByIdWhosePopulationIncludesThem() {
    // "a" takes 30% of users; "b" takes 100% of the rest; "c" (everyone) never gets anyone while "b" runs.
    Experiment a = Experiments.withPopulation(Experiments.fiftyFifty("a"), new PopulationFilter(0.3, null));
    Experiment b = Experiments.fiftyFifty("b");
    Experiment c = Experiments.fiftyFifty("c");
    ExperimentSet set = new ExperimentSet();
    for (Experiment e : List.of(c, b, a)) set.apply(e, RUNNING); // arrival order must not matter
    int inA = 0;
    int inB = 0;
    int users = 100_000;
    for (int i = 0; i < users; i++) {
      String user = "user-" + i;
      Assignment got = set.assign(user, RUNNING).orElseThrow();
      String expected = a.population().includes(a.salt(), user) ? "a" : "b";
      assertThat(got.experimentId()).isEqualTo(expected);
      if (expected.equals("a")) inA++;
      else inB++;
    }
    assertThat(inA / (double) users).isCloseTo(0.3, within(0.01));
    assertThat(inB / (double) users).isCloseTo(0.7, within(0.01));
    // Once "b" has stopped, its users fall through to "c".
    set.apply(b.withStop(Instant.ofEpochMilli(RUNNING + 1)).withVersion(2), RUNNING);
    String userOfB = "user-0";
    for (int i = 0; a.population().includes(a.salt(), userOfB); i++) userOfB = "user-" + i;
    assertThat(set.assign(userOfB, RUNNING + 1).orElseThrow().experimentId()).isEqualTo("c");
  }

  @Test
  void populationFractionAndPrefixHoldOnOneHundredThousandUsers() {
    Experiment e = Experiments.withPopulation(Experiments.fiftyFifty("x"), new PopulationFilter(0.2, "user-1"));
    ExperimentSet set = started(e);
    int inPrefix = 0;
    int assigned = 0;
    for (int i = 0; i < 100_000; i++) {
      String user = "user-" + i;
      Optional<Assignment> a = set.assign(user, RUNNING);
      if (!user.startsWith("user-1")) {
        assertThat(a).isEmpty();
        continue;
      }
      inPrefix++;
      if (a.isPresent()) assigned++;
    }
    assertThat(inPrefix).isEqualTo(11_111); // user-1, user-10..19, user-100..199, ...
    assertThat(assigned / (double) inPrefix).isCloseTo(0.2, within(0.015));
  }

  @Test
  void modelsNeededAreThoseOfExperimentsNotYetStopped() {
    Experiment running = Experiments.fiftyFifty("a");
    Experiment upcoming = new Experiment("b", 1, "b-salt", List.of(new Arm("control", 1, ModelRef.line("main")), new Arm("t", 1, ModelRef.version("v9"))),
        STOP, STOP.plusSeconds(86_400), null, null);
    Experiment stopped = Experiments.withArms(Experiments.fiftyFifty("c").withStop(START.plusSeconds(60)),
        List.of(new Arm("control", 1, ModelRef.line("main")), new Arm("t", 1, ModelRef.version("old"))));
    ExperimentSet set = new ExperimentSet();
    for (Experiment e : List.of(running, upcoming, stopped)) set.apply(e, RUNNING);
    assertThat(set.modelsNeeded()).containsExactly(ModelRef.line("main"), ModelRef.line("candidate-b"), ModelRef.version("v9"));
    assertThat(set.modelsNeeded(START.toEpochMilli())).contains(ModelRef.version("old"));
    assertThat(set.modelsNeeded(STOP.toEpochMilli())).containsExactly(ModelRef.line("main"), ModelRef.version("v9"));
  }
}
