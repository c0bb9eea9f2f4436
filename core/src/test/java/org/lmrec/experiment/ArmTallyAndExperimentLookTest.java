package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArmTallyAndExperimentLookTest {
  private static final long MINUTE = 60_000L;

  private static OutcomeHorizon.Outcome outcome(boolean hit, double rr, boolean empty) {
    OutcomeHorizon.Exposure e = new OutcomeHorizon.Exposure("x", "control", "v1", "u", "e1", 0, empty ? List.of() : List.of("a", "b"));
    return new OutcomeHorizon.Outcome(e, hit, rr, 1, empty);
  }

  @Test
  void mergingTwoPartialTalliesEqualsAddingEveryOutcomeToOne() {
    ArmTally all = new ArmTally("control");
    ArmTally first = new ArmTally("control");
    ArmTally second = new ArmTally("control");
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 101; i++) {
      boolean hit = r.nextInt(4) == 0;
      OutcomeHorizon.Outcome o = outcome(hit, hit ? 1.0 / (1 + r.nextInt(5)) : 0.0, r.nextInt(9) == 0);
      Long latency = r.nextInt(7) == 0 ? null : (long) r.nextInt(100);
      boolean firstOfUser = r.nextInt(3) == 0;
      all.add(o, firstOfUser, latency, 0);
      (i < 40 ? first : second).add(o, firstOfUser, latency, 0);
    }
    ArmTally merged = ArmTally.of(first.snapshot()).merge(second.snapshot(), 5);

    ArmTally.Snapshot m = merged.snapshot(), a = all.snapshot();
    assertThat(m.users()).isEqualTo(a.users());
    assertThat(m.exposures()).isEqualTo(a.exposures());
    assertThat(m.emptyLists()).isEqualTo(a.emptyLists());
    assertThat(m.maxLatencyMillis()).isEqualTo(a.maxLatencyMillis());
    assertThat(m.distinctItemsShown()).isEqualTo(5); // the caller's count: distinct items do not add up
    assertThat(m.hits().count()).isEqualTo(a.hits().count());
    assertThat(m.hits().mean()).isCloseTo(a.hits().mean(), within(1e-12));
    assertThat(m.hits().m2()).isCloseTo(a.hits().m2(), within(1e-9));
    assertThat(m.reciprocalRanks().mean()).isCloseTo(a.reciprocalRanks().mean(), within(1e-12));
    assertThat(m.reciprocalRanks().m2()).isCloseTo(a.reciprocalRanks().m2(), within(1e-9));
    assertThat(m.latency().count()).isEqualTo(a.latency().count());
    assertThat(m.latency().mean()).isCloseTo(a.latency().mean(), within(1e-9));
    assertThat(m.latency().m2()).isCloseTo(a.latency().m2(), within(1e-6));
  }

  @Test
  void anArmTallyCountsUsersOnceAndKeepsEveryGuardrail() {
    ArmTally t = new ArmTally("control");
    t.add(outcome(true, 1.0, false), true, 10L, 2);
    t.add(outcome(false, 0.0, false), false, 30L, 1);
    t.add(outcome(false, 0.0, true), true, null, 0);

    ExperimentReport.Guardrails g = t.guardrails();
    assertThat(g.users()).isEqualTo(2);
    assertThat(t.exposures()).isEqualTo(3);
    assertThat(g.hitRate()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(g.meanReciprocalRank()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(g.emptyLists()).isEqualTo(1);
    assertThat(g.meanLatencyMillis()).isEqualTo(20.0); // the unmeasured one is left out
    assertThat(g.maxLatencyMillis()).isEqualTo(30);
    assertThat(g.distinctItemsShown()).isEqualTo(3);
    assertThat(ArmTally.of(t.snapshot()).snapshot()).isEqualTo(t.snapshot());
    assertThat(new ArmTally("empty").guardrails().hitRate()).isNaN();
    assertThat(new ArmTally("empty").guardrails().maxLatencyMillis()).isEqualTo(-1);
  }

  /** Simulates {@code looks} looks of 200 users per arm each; the treatment's hit rate is {@code lift} above 0.10. */
  private static List<ExperimentLook.Result> run(Experiment e, double lift, int looks, boolean restoreEveryLook) {
    SplittableRandom rng = new SplittableRandom(7);
    Map<String, ArmTally> tallies = new HashMap<>();
    Map<String, MixtureSequentialTest.State> tests = new HashMap<>();
    Map<String, List<ExperimentReport.TimelinePoint>> timelines = new HashMap<>();
    List<ExperimentLook.Result> results = new ArrayList<>();
    for (int look = 1; look <= looks; look++) {
      for (Arm a : e.arms()) {
        ArmTally t = tallies.computeIfAbsent(a.name(), ArmTally::new);
        double rate = a.name().equals("control") ? 0.10 : 0.10 + lift;
        for (int u = 0; u < 200; u++) t.add(outcome(rng.nextDouble() < rate, 0, false), true, 5L, 0);
      }
      if (restoreEveryLook) tallies.replaceAll((arm, t) -> ArmTally.of(t.snapshot()));
      ExperimentLook.Result r = ExperimentLook.look(e, Experiments.START.toEpochMilli() + look * MINUTE, 0.05, 0.05, tallies, tests, timelines);
      tests = new HashMap<>(r.tests());
      timelines = new HashMap<>(r.timelines());
      results.add(r);
    }
    return results;
  }

  @Test
  void aBetterTreatmentBecomesSignificantAndItsIntervalExcludesZero() {
    List<ExperimentLook.Result> results = run(Experiments.fiftyFifty("lift"), 0.05, 20, false);
    ExperimentReport last = results.get(results.size() - 1).report();

    assertThat(last.srmUnit()).isEqualTo("users");
    assertThat(last.arms()).extracting(ExperimentReport.ArmSummary::exposures).containsExactly(4_000L, 4_000L);
    assertThat(last.srm().alarm()).isFalse();
    ExperimentReport.TimelinePoint latest = last.timelines().get(0).points().get(19);
    assertThat(latest.alwaysValidP()).isLessThan(0.05);
    assertThat(latest.lower()).isPositive();
    assertThat(last.timelines().get(0).points()).hasSize(20);
    // The always-valid p never goes up from look to look.
    List<ExperimentReport.TimelinePoint> line = last.timelines().get(0).points();
    for (int i = 1; i < line.size(); i++) assertThat(line.get(i).alwaysValidP()).isLessThanOrEqualTo(line.get(i - 1).alwaysValidP());
  }

  @Test
  void equalArmsStayInsignificant() {
    List<ExperimentLook.Result> results = run(Experiments.fiftyFifty("aa"), 0.0, 20, false);
    assertThat(results).allSatisfy(r -> assertThat(r.newPoints().get("treatment").alwaysValidP()).isGreaterThan(0.05));
  }

  @Test
  void continuingFromSnapshotsGivesTheSameLooks() {
    Experiment e = Experiments.fiftyFifty("restore");
    assertThat(run(e, 0.03, 10, true).get(9).report().json()).isEqualTo(run(e, 0.03, 10, false).get(9).report().json());
  }

  @Test
  void theSrmCheckCountsUsersAgainstTheWeights() {
    Experiment e = Experiments.fiftyFifty("srm");
    ArmTally control = new ArmTally("control");
    ArmTally treatment = new ArmTally("treatment");
    // Equal exposures but the treatment lost a tenth of its users: an SRM on users.
    for (int i = 0; i < 10_000; i++) control.add(outcome(false, 0, false), true, null, 0);
    for (int i = 0; i < 10_000; i++) treatment.add(outcome(false, 0, false), i % 10 != 0, null, 0);
    ExperimentReport r = ExperimentLook.look(e, 0, 0.05, 0.05, Map.of("control", control, "treatment", treatment), Map.of(), Map.of()).report();
    assertThat(r.srm().alarm()).isTrue();
    assertThat(r.arms()).extracting(a -> a.guardrails().users()).containsExactly(10_000L, 9_000L);
  }

  @Test
  void aLookBeforeAnyOutcomeReportsEmptyArms() {
    ExperimentLook.Result r = ExperimentLook.look(Experiments.fiftyFifty("none"), 0, 0.05, 0.05, Map.of(), Map.of(), Map.of());
    assertThat(r.report().arms()).allSatisfy(a -> assertThat(a.outcomes()).isZero());
    assertThat(r.newPoints().get("treatment").alwaysValidP()).isEqualTo(1.0);
    assertThat(r.report().json()).contains("\"hitRate\" : null");
  }

  @Test
  void aLongTimelineIsThinnedKeepingTheNewestPoint() {
    List<ExperimentReport.TimelinePoint> points = new ArrayList<>();
    for (int i = 0; i <= ExperimentLook.MAX_TIMELINE_POINTS; i++) points.add(new ExperimentReport.TimelinePoint(i, 0, -1, 1, 1));
    List<ExperimentReport.TimelinePoint> kept = ExperimentLook.bounded(points);
    assertThat(kept).hasSize(ExperimentLook.MAX_TIMELINE_POINTS / 2 + 1);
    assertThat(kept.get(kept.size() - 1).timeMillis()).isEqualTo(ExperimentLook.MAX_TIMELINE_POINTS);
    assertThat(ExperimentLook.bounded(points.subList(0, 10))).hasSize(10);
  }
}
