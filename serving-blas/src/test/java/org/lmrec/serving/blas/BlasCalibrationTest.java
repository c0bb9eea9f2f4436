package org.lmrec.serving.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.serving.ItemCatalogue.Kernel;
import org.lmrec.serving.KernelCalibration;
import org.lmrec.serving.KernelProperty;

/** With this module on the classpath, the calibration measures BLAS beside the Vector API kernel. */
class BlasCalibrationTest {
  @Test
  void theModuleMakesBlasAvailable() {
    assertThat(Kernel.BLAS.unavailableReason()).isNull();
  }

  @Test
  void measuresBothKernelsAndPicksAnAvailableOne() {
    // A shape no other test uses: the choice is remembered per shape for the JVM's life.
    float[] table = table(3001, 64, 1);
    KernelCalibration.Choice choice = KernelCalibration.choose(table, 3001, 64, 32);

    assertThat(choice.gflops()).containsOnlyKeys(Kernel.VECTOR, Kernel.BLAS);
    assertThat(choice.gflops().values()).allMatch(rate -> rate > 0);
    assertThat(3001L * 64).isGreaterThanOrEqualTo(KernelCalibration.MIN_CALIBRATED_TABLE);
    assertThat(choice.kernel()).isIn(Kernel.VECTOR, Kernel.BLAS);
    assertThat(choice.kernel().available()).isTrue();
    // The faster by the measurement, where BLAS must beat vector by the tie margin to win.
    double[] nanosPerCall = {1 / choice.gflops().get(Kernel.VECTOR), 1 / choice.gflops().get(Kernel.BLAS)};
    // A warm-up that did not settle (a busy JIT) makes the rates incomparable: the preferred kernel, vector, serves.
    Kernel expected = !choice.trusted() ? Kernel.VECTOR : KernelCalibration.fastest(nanosPerCall) == 0 ? Kernel.VECTOR : Kernel.BLAS;
    assertThat(choice.kernel()).isEqualTo(expected);
    assertThat(choice.describe(3001, 64, 32)).contains("vector ").contains("blas ").contains("GFLOP/s");
  }

  @Test
  void takesABoundedTime() {
    // CPU time, not wall time: the budgets are wall-clock, so CPU time stays under them on a loaded machine.
    float[] table = table(100_001, 64, 2);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    KernelCalibration.Choice choice = KernelCalibration.choose(table, 100_001, 64, 64);
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    assertThat(choice.gflops()).hasSize(2);
    // Two warm-ups of at most 0.6 s of CPU and 0.4 s of timed rounds; 1 s of slack for packing and one overrunning round.
    assertThat(cpu).isLessThan(2 * KernelCalibration.WARMUP_MAX_CPU_NANOS + KernelCalibration.MEASURE_MAX_CPU_NANOS + 1_000_000_000L);
  }

  @Test
  void theForcingPropertyStillPicksTheKernel() {
    float[] table = table(500, 16, 3);
    for (Kernel k : Kernel.values()) {
      ItemCatalogue catalogue = KernelProperty.with(k.propertyValue(), () -> new ItemCatalogue(table, 500, 16));
      assertThat(catalogue.kernel()).isEqualTo(k);
    }
    assertThatThrownBy(() -> KernelProperty.with("mkl", () -> new ItemCatalogue(table, 500, 16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dlmrec.serving.kernel=mkl is not one of scalar, vector, blas");
  }

  private static float[] table(int numItems, int dim, long seed) {
    Random r = new Random(seed);
    float[] t = new float[(numItems + 1) * dim];
    for (int i = dim; i < t.length; i++) t[i] = (float) r.nextGaussian();
    return t;
  }
}
