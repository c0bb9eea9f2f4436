package org.lmrec.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmrec.bench.faults.FaultCheck.Accepted;
import org.lmrec.bench.faults.FaultCheck.Rec;
import org.lmrec.bench.faults.FaultCheck.Result;
import org.lmrec.bench.faults.FaultCheck.Versions;
import org.lmrec.schema.UserSequenceState;

/** The checker can fail: each planted fault is counted exactly once, in its own column. */
class CheckTest {
  private static final int WINDOW = 3;
  private static final long T0 = 1_000_000L;

  /** 12 events of 3 users, 4 each: every window has wrapped once. */
  private static List<Accepted> input() {
    List<Accepted> in = new ArrayList<>();
    for (int i = 0; i < 12; i++) in.add(new Accepted("e" + i, "u" + (i % 3), "i" + (i * 7 % 5), T0 + i * 100));
    return in;
  }

  private static List<Rec> recs(List<Accepted> in) {
    List<Rec> out = new ArrayList<>();
    for (Accepted a : in) out.add(new Rec(a.eventId(), "v2", a.eventTime() + 10));
    return out;
  }

  private static List<String> archive(List<Accepted> in) {
    return new ArrayList<>(in.stream().map(Accepted::eventId).toList());
  }

  private static Result check(List<Accepted> in, List<Rec> recs, List<String> archive, Map<String, UserSequenceState> state) {
    return FaultCheck.evaluate(in.size(), in, recs, archive, state, WINDOW, new Versions("v2", T0, 500), -1);
  }

  @Test
  void aCleanRunCountsNothing() {
    List<Accepted> in = input();
    Result r = check(in, recs(in), archive(in), FaultCheck.expectedWindows(in, WINDOW));
    assertThat(r.clean()).isTrue();
    assertThat(List.of(r.lost(), r.duplicated(), r.unexpected(), r.archiveMissing(), r.archiveDuplicated(), r.stateMismatches(), r.wrongVersion()))
        .containsOnly(0L);
    assertThat(r.accepted()).isEqualTo(12);
    assertThat(r.versionChecked()).isEqualTo(7); // e5..e11, produced from T0 + 510 on, past the allowance (T0 + 500)

  }

  @Test
  void eachPlantedFaultIsCountedOnce() {
    List<Accepted> in = input();
    List<Rec> recs = recs(in);
    recs.remove(4); // one loss: e4
    recs.add(recs.get(6)); // one duplicate: e7 twice
    recs.set(10, new Rec("e11", "v1", T0 + 1100 + 10)); // old version after the allowance (from T0 + 500)
    recs.set(0, new Rec("e0", "v1", T0 + 10)); // old version within the allowance: not counted
    List<String> archive = archive(in);
    archive.remove("e9"); // one archive gap
    Map<String, UserSequenceState> state = new HashMap<>(FaultCheck.expectedWindows(in, WINDOW));
    UserSequenceState u1 = state.get("u1");
    List<String> items = new ArrayList<>(u1.getItemIds());
    items.set(0, "i-other"); // one user's window differs
    state.put("u1", UserSequenceState.newBuilder(u1).setItemIds(items).build());

    Result r = check(in, recs, archive, state);

    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.duplicated()).isEqualTo(1);
    assertThat(r.wrongVersion()).isEqualTo(1);
    assertThat(r.archiveMissing()).isEqualTo(1);
    assertThat(r.archiveDuplicated()).isZero();
    assertThat(r.stateMismatches()).isEqualTo(1);
    assertThat(r.unexpected()).isZero();
    assertThat(r.clean()).isFalse();
    assertThat(r.examples()).anyMatch(e -> e.contains("e4")).anyMatch(e -> e.contains("e7")).anyMatch(e -> e.contains("e9"))
        .anyMatch(e -> e.contains("u1")).anyMatch(e -> e.contains("e11"));
  }

  @Test
  void stateOfAUserWithoutEventsAndAMissingUserAreMismatches() {
    List<Accepted> in = input();
    Map<String, UserSequenceState> state = new HashMap<>(FaultCheck.expectedWindows(in, WINDOW));
    state.put("ghost", state.remove("u2"));
    assertThat(check(in, recs(in), archive(in), state).stateMismatches()).isEqualTo(2);
  }

  @Test
  void anArchivedRecordTwiceAndARecommendationForNoAcceptedEventAreCounted() {
    List<Accepted> in = input();
    List<String> archive = archive(in);
    archive.add("e3");
    List<Rec> recs = recs(in);
    recs.add(new Rec("not-accepted", "v2", T0));
    Result r = check(in, recs, archive, null);
    assertThat(r.archiveDuplicated()).isEqualTo(1);
    assertThat(r.unexpected()).isEqualTo(1);
    assertThat(r.lost()).isZero();
    assertThat(r.stateMismatches()).isEqualTo(-1); // not read
  }

  @Test
  void noRecommendationPastTheAllowanceIsNotAPass() {
    List<Accepted> in = input().subList(0, 4); // all produced before T0 + 500
    Result r = check(in, recs(in), archive(in), FaultCheck.expectedWindows(in, WINDOW));
    assertThat(r.versionChecked()).isZero();
    assertThat(r.wrongVersion()).isZero();
    assertThat(r.clean()).isFalse();
  }

  @Test
  void recoveryIsTheEndOfTheLongestPauseAfterTheFault() {
    List<Rec> recs = new ArrayList<>();
    for (long t = 0; t <= 10_000; t += 100) recs.add(new Rec("a" + t, "v", t)); // steady until 10 s
    for (long t = 17_500; t <= 20_000; t += 100) recs.add(new Rec("b" + t, "v", t)); // 7.5 s pause
    recs.add(new Rec("c", "v", 23_000)); // a shorter pause later
    assertThat(FaultCheck.recoverySeconds(recs, 10_050)).isEqualTo(7.45);
    assertThat(FaultCheck.recoverySeconds(recs, -1)).isNaN();
    assertThat(FaultCheck.longestPauseSeconds(recs)).isEqualTo(7.5);
    assertThat(FaultCheck.longestPauseSeconds(recs.subList(0, 1))).isNaN();
  }
}
