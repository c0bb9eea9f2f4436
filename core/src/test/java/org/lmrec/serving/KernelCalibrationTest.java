package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.serving.ItemCatalogue.Kernel;

/**
 * The start-up calibration that picks the catalogue kernel. Core's tests run without
 * lmrec-serving-blas, so here the candidates are the Vector API kernel alone; the module's own
 * tests cover the choice between it and BLAS.
 */
class KernelCalibrationTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void measuresEveryAvailableFastKernelAndPicksOneOfThem() {
    float[] table = table(1001, 64, 1);
    KernelCalibration.Choice choice = KernelCalibration.measure(table, 1001, 64, 33, KernelCalibration.candidates());

    assertThat(KernelCalibration.candidates()).containsExactly(Kernel.VECTOR);
    assertThat(choice.kernel()).isEqualTo(Kernel.VECTOR);
    assertThat(choice.kernel().available()).isTrue();
    assertThat(choice.gflops()).containsOnlyKeys(Kernel.VECTOR);
    assertThat(choice.gflops().get(Kernel.VECTOR)).isPositive();
    assertThat(choice.describe(1001, 64, 33))
        .startsWith("catalogue kernel: vector (calibrated on 1001 items x 64 dims, batch 33, in ")
        .contains("vector ").contains(" GFLOP/s");
  }

  @Test
  void picksTheFasterCandidateAndKeepsItsBuiltKernel() {
    // Scalar is never a candidate by default. Which of the two measures faster is the machine's
    // business (the vector kernel, once C2 has compiled it; on a loaded machine the compiler
    // threads can be starved past the warm-up, a campaign run once saw scalar win): the choice
    // must follow the measurement, and the kernel handed back must be the winner's.
    float[] table = table(3000, 64, 2);
    KernelCalibration.Choice choice =
        KernelCalibration.measure(table, 3000, 64, 32, List.of(Kernel.SCALAR, Kernel.VECTOR));

    assertThat(choice.gflops()).containsOnlyKeys(Kernel.SCALAR, Kernel.VECTOR);
    double[] nanosPerCall = {1 / choice.gflops().get(Kernel.SCALAR), 1 / choice.gflops().get(Kernel.VECTOR)};
    // A warm-up that did not settle makes the rates incomparable: then the first candidate serves.
    Kernel faster = choice.trusted() ? List.of(Kernel.SCALAR, Kernel.VECTOR).get(KernelCalibration.fastest(nanosPerCall)) : Kernel.SCALAR;
    assertThat(choice.kernel()).isEqualTo(faster);
    assertThat(choice.built().getClass()).isEqualTo(ItemCatalogue.build(faster, table, 3000, 64).getClass());
  }

  @Test
  void takesABoundedTime() {
    // Warm-up per candidate, then timed rounds until the budget is spent; one round may overrun it.
    // The budgets are wall-clock, so the thread's CPU time stays under them however loaded the
    // machine is, while wall time on a shared 2-core machine can stretch many times over.
    float[] table = table(100_000, 64, 3);
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    KernelCalibration.Choice choice = KernelCalibration.measure(table, 100_000, 64, 64, KernelCalibration.candidates());
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;

    long bound = KernelCalibration.candidates().size() * KernelCalibration.WARMUP_MAX_CPU_NANOS
        + KernelCalibration.MEASURE_MAX_CPU_NANOS;
    assertThat(choice.nanos()).isPositive();
    // 1 s of slack: packing the table, the outputs, one overrunning round (about 10 ms here).
    assertThat(cpu).isLessThan(bound + 1_000_000_000L);
  }

  @Test
  void aTieWithinFivePercentKeepsTheFirstCandidate() {
    assertThat(KernelCalibration.fastest(new double[] {10, 9.6})).as("4% faster: a tie").isEqualTo(0);
    assertThat(KernelCalibration.fastest(new double[] {10, 9.0})).as("10% faster").isEqualTo(1);
    assertThat(KernelCalibration.fastest(new double[] {10, 12})).isEqualTo(0);
  }

  @Test
  void warmsUpWithEveryPathOfTheRealBatch() {
    assertThat(KernelCalibration.warmBatch(1)).isEqualTo(1);
    assertThat(KernelCalibration.warmBatch(7)).isEqualTo(7);
    assertThat(KernelCalibration.warmBatch(64)).isEqualTo(8);
    assertThat(KernelCalibration.warmBatch(33)).isEqualTo(9);
    assertThat(KernelCalibration.warmBatch(255)).isEqualTo(11);
  }

  @Test
  void theForcingPropertyPicksTheKernelWithoutMeasuring() {
    float[] table = table(77, 8, 4);
    ItemCatalogue catalogue = KernelProperty.with("scalar", () -> new ItemCatalogue(table, 77, 8));
    assertThat(catalogue.kernel()).isEqualTo(Kernel.SCALAR);
    KernelCalibration.Choice choice = KernelProperty.with(" Vector ", () -> KernelCalibration.choose(table, 77, 8, 5));
    assertThat(choice.kernel()).isEqualTo(Kernel.VECTOR);
    assertThat(choice.gflops()).isEmpty();
  }

  @Test
  void anUnknownKernelNameIsRefusedWithTheNamesThatExist() {
    float[] table = table(5, 4, 5);
    assertThatThrownBy(() -> KernelProperty.with("gpu", () -> new ItemCatalogue(table, 5, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dlmrec.serving.kernel=gpu is not one of scalar, vector, blas");
  }

  @Test
  void forcingBlasWithoutItsModuleSaysWhatIsMissing() {
    float[] table = table(5, 4, 6);
    assertThat(Kernel.BLAS.available()).isFalse();
    assertThatThrownBy(() -> KernelProperty.with("blas", () -> new ItemCatalogue(table, 5, 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the blas catalogue kernel is not available: lmrec-serving-blas is not on the classpath");
  }

  @Test
  void aWarmUpThatDoesNotSettleIsNotJudgedTheFirstCandidateServesAndTheChoiceIsNotKept() {
    // No CPU time for the warm-ups: neither settles, as when a job's start keeps the JIT busy. Scalar
    // listed first on purpose: measured, vector would win; unsettled, the first candidate serves.
    float[] table = table(3000, 64, 11);
    KernelCalibration.Choice choice = KernelCalibration.measure(table, 3000, 64, 32, List.of(Kernel.SCALAR, Kernel.VECTOR), 0);
    assertThat(choice.trusted()).isFalse();
    assertThat(choice.unsettled()).containsExactly(Kernel.SCALAR, Kernel.VECTOR);
    assertThat(choice.kernel()).isEqualTo(Kernel.SCALAR);
    assertThat(choice.built().getClass()).isEqualTo(ItemCatalogue.build(Kernel.SCALAR, table, 3000, 64).getClass());
    assertThat(choice.describe(3000, 64, 32)).endsWith("; the warm-up of scalar, vector did not settle within its budget (a busy JIT),"
        + " so the preferred kernel serves and the next load of this shape calibrates again");
  }

  @Test
  void aShapeIsCalibratedOncePerJvm() {
    float[] table = table(1025, 64, 7);
    KernelCalibration.Choice first = KernelCalibration.choose(table, 1025, 64, 9);
    // An untrusted choice (a warm-up starved by a busy JIT) is measured again at the next load.
    for (int i = 0; i < 5 && !first.trusted(); i++) first = KernelCalibration.choose(table, 1025, 64, 9);
    assertThat(first.trusted()).isTrue();
    KernelCalibration.Choice again = KernelCalibration.choose(table, 1025, 64, 9);
    // A retrained model with a few more items (same power of two) reuses the choice.
    KernelCalibration.Choice grown = KernelCalibration.choose(table(1100, 64, 8), 1100, 64, 9);
    KernelCalibration.Choice otherBatch = KernelCalibration.choose(table, 1025, 64, 10);
    assertThat(first.gflops()).isNotEmpty();
    assertThat(again.kernel()).isEqualTo(first.kernel());
    assertThat(again.gflops()).as("no second measurement").isEmpty();
    assertThat(grown.gflops()).as("no measurement for 1100 items after 1025").isEmpty();
    assertThat(otherBatch.gflops()).as("another batch size is measured").isNotEmpty();
  }

  @Test
  void aSmallTableTakesTheVectorKernelUnmeasured() {
    float[] table = table(1023, 64, 10); // 65,472 floats, under the threshold
    // This thread's CPU time, not wall time: a busy machine may deschedule the thread for longer than a warm-up takes.
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    KernelCalibration.Choice choice = KernelCalibration.choose(table, 1023, 64, 64);
    assertThat(choice.kernel()).isEqualTo(Kernel.VECTOR);
    assertThat(choice.gflops()).isEmpty();
    assertThat(THREADS.getCurrentThreadCpuTime() - cpuStart).as("no warm-up").isLessThan(50_000_000L);
  }

  @Test
  void theCalibratedCatalogueScoresAsTheScalarReference() {
    int numItems = 2 * VectorCatalogueKernel.PANEL + 3;
    float[] table = table(numItems, 65, 8);
    Random r = new Random(9);
    float[][] users = new float[3][65];
    for (float[] u : users) for (int c = 0; c < u.length; c++) u[c] = (float) r.nextGaussian();
    float[][] calibrated = new ItemCatalogue(table, numItems, 65, 3).scores(users);
    float[][] scalar = new ItemCatalogue(table, numItems, 65, Kernel.SCALAR).scores(users);
    for (int u = 0; u < users.length; u++) {
      for (int i = 1; i <= numItems; i++) assertThat(calibrated[u][i]).isCloseTo(scalar[u][i], org.assertj.core.data.Offset.offset(1e-3f));
    }
  }

  static float[] table(int numItems, int dim, long seed) {
    Random r = new Random(seed);
    float[] t = new float[(numItems + 1) * dim];
    for (int i = dim; i < t.length; i++) t[i] = (float) r.nextGaussian();
    return t;
  }
}
