package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArmAssignerTest {
  private static final int USERS = 100_000;

  private static Experiment threeWay() {
    return Experiments.withArms(Experiments.fiftyFifty("three-way"),
        List.of(new Arm("a", 10, ModelRef.line("main")), new Arm("b", 30, ModelRef.line("cand-b")), new Arm("c", 60, ModelRef.line("cand-c"))));
  }

  @Test
  void bucketIsTheFirst8BytesOfSha256ModTenThousand() throws Exception {
    // Recomputed independently, so any other implementation (a Python notebook, a later rewrite) can match it.
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest("salt\u0000user-42".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long first8 = java.nio.ByteBuffer.wrap(d, 0, 8).getLong();
    int expected = new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8)).mod(java.math.BigInteger.valueOf(10_000)).intValue();
    assertThat(Long.remainderUnsigned(first8, 10_000)).isEqualTo(expected);
    assertThat(new ArmAssigner().bucket("salt", "user-42")).isEqualTo(expected);
    assertThat(new ArmAssigner().bucket("salt", "user-ü")).isBetween(0, 9_999);
  }

  @Test
  void rangesFollowTheWeightsAndSumToExactlyTenThousand() {
    assertThat(ArmAssigner.rangeEnds(threeWay().arms())).containsExactly(1_000, 4_000, 10_000);
    List<Arm> thirds = List.of(new Arm("a", 1, ModelRef.line("m")), new Arm("b", 1, ModelRef.line("m")), new Arm("c", 1, ModelRef.line("m")));
    assertThat(ArmAssigner.rangeEnds(thirds)).containsExactly(3_334, 6_667, 10_000); // the leftover bucket goes to the earliest tie
    List<Arm> sevenths = List.of(new Arm("a", 1, ModelRef.line("m")), new Arm("b", 2, ModelRef.line("m")), new Arm("c", 4, ModelRef.line("m")));
    int[] ends = ArmAssigner.rangeEnds(sevenths); // exact 1428.57, 2857.14, 5714.29: the one leftover bucket goes to the largest remainder, a's
    assertThat(ends).containsExactly(1_429, 1_429 + 2_857, 10_000);
  }

  @Test
  void theSameUserGetsTheSameArmEveryTimeAndOnEveryInstance() {
    Experiment e = threeWay();
    ArmAssigner first = new ArmAssigner();
    ArmAssigner second = new ArmAssigner();
    for (int i = 0; i < 2_000; i++) {
      String user = "user-" + i;
      Optional<String> arm = first.arm(e, user);
      assertThat(arm).isPresent();
      assertThat(first.arm(e, user)).isEqualTo(arm);
      assertThat(second.arm(e, user)).isEqualTo(arm);
      // An equal but separately built definition (a redelivery) assigns the same.
      assertThat(second.arm(Experiments.withArms(e, List.copyOf(e.arms())), user)).isEqualTo(arm);
    }
  }

  @Test
  void aDifferentSaltReshufflesUsers() {
    Experiment e = Experiments.fiftyFifty("x");
    Experiment resalted = Experiments.withSalt(e, "another-salt");
    ArmAssigner assigner = new ArmAssigner();
    int moved = 0;
    for (int i = 0; i < 10_000; i++) {
      if (!assigner.arm(e, "user-" + i).equals(assigner.arm(resalted, "user-" + i))) moved++;
    }
    // Independent 50/50 assignments disagree for half the users.
    assertThat(moved / 10_000.0).isCloseTo(0.5, within(0.02));
  }

  @Test
  void fiftyFiftyIsBalancedOnOneHundredThousandUsers() {
    assertBalanced(Experiments.fiftyFifty("balance-2"), new double[] {0.5, 0.5});
  }

  @Test
  void tenThirtySixtyIsBalancedOnOneHundredThousandUsers() {
    assertBalanced(threeWay(), new double[] {0.1, 0.3, 0.6});
  }

  private static void assertBalanced(Experiment e, double[] fractions) {
    ArmAssigner assigner = new ArmAssigner();
    Map<String, Long> counts = new HashMap<>();
    for (int i = 0; i < USERS; i++) counts.merge(assigner.arm(e, "user-" + i).orElseThrow(), 1L, Long::sum);
    long[] observed = e.arms().stream().mapToLong(a -> counts.getOrDefault(a.name(), 0L)).toArray();
    int[] weights = e.arms().stream().mapToInt(Arm::weight).toArray();
    SampleRatioMismatch.Result srm = SampleRatioMismatch.test(observed, weights);
    System.out.printf("assignment balance %s: counts %s, chi-square %.3f, p %.3f%n", e.id(), java.util.Arrays.toString(observed), srm.chiSquare(), srm.pValue());
    assertThat(srm.alarm()).as("SRM alarm on a correct assigner: %s", srm).isFalse();
    for (int i = 0; i < fractions.length; i++) assertThat(observed[i] / (double) USERS).isCloseTo(fractions[i], within(0.01));
  }

  @Test
  void usersOutsideThePopulationGetNoArm() {
    Experiment e = Experiments.withPopulation(Experiments.fiftyFifty("x"), new PopulationFilter(0.3, "user-"));
    ArmAssigner assigner = new ArmAssigner();
    assertThat(assigner.arm(e, "admin-1")).isEmpty();
    int in = 0;
    Map<String, Integer> perArm = new HashMap<>();
    for (int i = 0; i < USERS; i++) {
      Optional<String> arm = assigner.arm(e, "user-" + i);
      assertThat(arm.isPresent()).isEqualTo(e.population().includes(e.salt(), "user-" + i));
      if (arm.isPresent()) {
        in++;
        perArm.merge(arm.get(), 1, Integer::sum);
      }
    }
    assertThat(in / (double) USERS).isCloseTo(0.3, within(0.01));
    // The population hash is independent of the arm hash: the population is still split 50/50.
    assertThat(perArm.get("control") / (double) in).isCloseTo(0.5, within(0.015));
  }

  @Test
  void assignsQuickly() {
    Experiment e = threeWay();
    ArmAssigner assigner = new ArmAssigner();
    String[] users = new String[10_000];
    for (int i = 0; i < users.length; i++) users[i] = "user-" + i;
    int sink = 0;
    for (int i = 0; i < 200_000; i++) sink += assigner.arm(e, users[i % users.length]).orElseThrow().length(); // warm-up
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime(); // CPU time: descheduling on a busy machine is not the assigner's cost
    int n = 500_000;
    for (int i = 0; i < n; i++) sink += assigner.arm(e, users[i % users.length]).orElseThrow().length();
    double nanosPerCall = (threads.getCurrentThreadCpuTime() - t0) / (double) n;
    System.out.printf("ArmAssigner: %.0f ns per assignment (%d)%n", nanosPerCall, sink);
    // Generous: a 2-core machine shared with a benchmark; a regression to per-call digest creation or worse would still show.
    assertThat(nanosPerCall).isLessThan(20_000);
  }
}
