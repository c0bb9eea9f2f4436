package org.lmrec.serving;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.lmrec.serving.ItemCatalogue.Kernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the catalogue kernel per machine: the Vector API kernel wins on some CPUs and a tuned BLAS
 * on others (issue 22), so each available fast kernel scores the catalogue's own shape for a
 * fraction of a second (0.2-2 s in all on an idle machine; its wall-clock caps, 3 s per warm-up and 3 s for
 * the timed rounds, bound it on a loaded one) and the faster one is kept. One log line gives the choice
 * and every measured rate.
 *
 * <p>The inputs are deterministic (seeded user vectors, the real table), each candidate is first
 * warmed up with a few users until the JIT has compiled it, and the timed rounds alternate between
 * candidates, each timed in the thread's CPU time, so that load from elsewhere inflates neither.
 * The best round counts. The
 * choice is remembered per shape (items to the next power of two, dims, batch) for the JVM's life,
 * so a model swap of a similar shape does not calibrate again.
 */
public final class KernelCalibration {
  /** The batch the streaming job scores by default ({@code lmrec.scoring.batch-size}). */
  public static final int DEFAULT_BATCH = 64;
  /**
   * Tables smaller than this many floats (256 KB, e.g. 1,024 items x 64) take the first candidate,
   * the Vector API kernel, unmeasured: they score in microseconds, and tests and tools build many.
   */
  public static final long MIN_CALIBRATED_TABLE = 65_536;
  /**
   * Warm-up per candidate, on the very kernel that is then timed (a warm-up on a slice of the table
   * compiled a profile that the full table broke: C2 deoptimised and the timed rounds ran in C1 at
   * 0.2 GFLOP/s), with a batch of {@link #warmBatch} users so that it stays cheap before the JIT
   * has compiled it. It runs for at least {@link #MIN_WARMUP_CALLS} calls and
   * {@link #MIN_WARMUP_PAIRS} user-item pairs, then until the CPU time per call has not improved for
   * {@link #WARMUP_SETTLED_NANOS} of CPU time. Capped at {@link #WARMUP_MAX_CPU_NANOS} of the
   * thread's CPU time, which a loaded machine does not shrink as it shrinks a wall-clock budget, and
   * at {@link #MAX_WALL_NANOS} of wall time.
   */
  static final int MIN_WARMUP_CALLS = 50;
  static final long MIN_WARMUP_PAIRS = 20_000_000L;
  static final long WARMUP_SETTLED_NANOS = 50_000_000L;
  public static final long WARMUP_MAX_CPU_NANOS = 600_000_000L;
  static final long MAX_WALL_NANOS = 3_000_000_000L;
  private static final long WARMUP_ROUND_NANOS = 2_000_000L;
  /**
   * Timed rounds of the real batch, alternating between candidates (each round a block of calls of
   * at least {@link #ROUND_NANOS}), until no candidate's best has improved for
   * {@link #SETTLED_ROUNDS} rounds (a late compilation shows as an improvement), at most
   * {@link #MAX_ROUNDS} rounds, {@link #MEASURE_MAX_CPU_NANOS} of CPU time or {@link #MAX_WALL_NANOS}.
   */
  static final int SETTLED_ROUNDS = 3;
  /** Each round times consecutive calls of one candidate for at least this long. */
  static final long ROUND_NANOS = 2_000_000L;
  /** How much faster (5%) a later candidate must be to win; a memory-bound batch of one ties within the noise. */
  static final double TIE_MARGIN = 0.05;
  static final int MAX_ROUNDS = 25;
  public static final long MEASURE_MAX_CPU_NANOS = 400_000_000L;
  private static final long SEED = 20261207L;

  private static final Logger LOG = LoggerFactory.getLogger(KernelCalibration.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Map<List<Integer>, Kernel> CHOSEN = new ConcurrentHashMap<>();

  private KernelCalibration() {}

  /**
   * The measured rates, the winner and, when it was measured here, the winner's built kernel (so the
   * table is not packed twice). {@code gflops} is empty when nothing was measured.
   */
  public record Choice(Kernel kernel, Map<Kernel, Double> gflops, long nanos, CatalogueKernel built, List<Kernel> unsettled) {
    public Choice(Kernel kernel, Map<Kernel, Double> gflops, long nanos, CatalogueKernel built) {
      this(kernel, gflops, nanos, built, List.of());
    }

    /** Whether every candidate's warm-up settled, so the rates compare compiled kernels and the choice may be remembered. */
    public boolean trusted() {
      return unsettled.isEmpty();
    }

    /** The one line that is logged: the choice, each rate, the shape and the time it took. */
    public String describe(int numItems, int dim, int batch) {
      String rates = gflops.entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s %.1f GFLOP/s", e.getKey().propertyValue(), e.getValue()))
          .collect(Collectors.joining(", "));
      return String.format(Locale.ROOT,
          "catalogue kernel: %s (calibrated on %d items x %d dims, batch %d, in %d ms: %s; -D%s=%s forces one)",
          kernel.propertyValue(), numItems, dim, batch, nanos / 1_000_000, rates.isEmpty() ? "only candidate" : rates,
          ItemCatalogue.KERNEL_PROPERTY, "vector|blas|scalar")
          + (trusted() ? "" : "; the warm-up of " + unsettled.stream().map(Kernel::propertyValue).collect(Collectors.joining(", "))
              + " did not settle within its budget (a busy JIT), so the preferred kernel serves and the next load of this shape calibrates again");
    }
  }

  /**
   * The kernel for this catalogue: the one {@link ItemCatalogue#KERNEL_PROPERTY} forces, else the
   * one chosen earlier for the same shape, else the faster of the available fast kernels, measured
   * now and logged. The caller has checked the table's shape.
   */
  public static Choice choose(float[] table, int numItems, int dim, int batch) {
    Optional<Kernel> forced = Kernel.forced();
    if (forced.isPresent()) return new Choice(forced.get(), Map.of(), 0, null);
    List<Integer> shape = shapeKey(numItems, dim, batch);
    Kernel earlier = CHOSEN.get(shape);
    if (earlier != null) return new Choice(earlier, Map.of(), 0, null);
    List<Kernel> candidates = candidates();
    if (candidates.isEmpty()) {
      ItemCatalogue.FallbackWarning.once();
      return new Choice(Kernel.SCALAR, Map.of(), 0, null);
    }
    if ((long) numItems * dim < MIN_CALIBRATED_TABLE) {
      // Scored in microseconds whichever kernel runs it: not worth a calibration at every test's or tool's start.
      return new Choice(candidates.get(0), Map.of(), 0, null);
    }
    // One calibration at a time: operators loading models side by side would otherwise time each
    // other's load, and the second finds the first's choice.
    synchronized (KernelCalibration.class) {
      earlier = CHOSEN.get(shape);
      if (earlier != null) return new Choice(earlier, Map.of(), 0, null);
      Choice choice = measure(table, numItems, dim, batch, candidates);
      if (choice.trusted()) CHOSEN.put(shape, choice.kernel());
      LOG.info(choice.describe(numItems, dim, batch));
      return choice;
    }
  }

  /**
   * Catalogues within the same power of two of items share a choice, so a retrained model with a
   * few new items does not calibrate again on every swap.
   */
  static List<Integer> shapeKey(int numItems, int dim, int batch) {
    return List.of(32 - Integer.numberOfLeadingZeros(numItems), dim, batch);
  }

  /** The fast kernels this JVM can run; the scalar loops are only ever a fallback. */
  static List<Kernel> candidates() {
    List<Kernel> out = new ArrayList<>();
    for (Kernel k : List.of(Kernel.VECTOR, Kernel.BLAS)) if (k.available()) out.add(k);
    return out;
  }

  /**
   * Times each candidate on this shape and returns the fastest; a later candidate must beat the
   * earlier ones by {@link #TIE_MARGIN}, so a tie within the noise keeps the first (the Vector API
   * kernel: no native copy of the table, no native call per batch).
   */
  static Choice measure(float[] table, int numItems, int dim, int batch, List<Kernel> candidates) {
    return measure(table, numItems, dim, batch, candidates, WARMUP_MAX_CPU_NANOS);
  }

  /**
   * As above, with the warm-up's CPU cap given. A warm-up that hit its cap without settling timed a
   * kernel the JIT may not have compiled yet (on a job's loaded start the Vector API kernel measured
   * 0.8 GFLOP/s against 113-181 once compiled, and BLAS won for the job's life): then the rates are
   * not compared, the first (preferred) candidate serves, and the choice is not remembered.
   */
  static Choice measure(float[] table, int numItems, int dim, int batch, List<Kernel> candidates, long warmUpMaxCpuNanos) {
    if (batch <= 0) throw new IllegalArgumentException("calibration batch must be positive, got " + batch);
    long start = System.nanoTime();
    float[][] users = users(batch, dim);
    float[][] out = new float[batch][numItems + 1];
    List<CatalogueKernel> built = new ArrayList<>();
    List<Kernel> unsettled = new ArrayList<>();
    for (Kernel k : candidates) {
      CatalogueKernel kernel = ItemCatalogue.build(k, table, numItems, dim);
      if (!warmUp(kernel, users, warmBatch(batch), out, numItems, warmUpMaxCpuNanos)) unsettled.add(k);
      built.add(kernel);
    }
    double[] best = new double[candidates.size()];
    Arrays.fill(best, Double.MAX_VALUE);
    long cpuStart = cpuTime();
    long measureStart = System.nanoTime(); // its own wall budget: warm-ups that ran long on a loaded machine must not leave it one round
    int settled = 0;
    for (int round = 0; round < MAX_ROUNDS && settled < SETTLED_ROUNDS; round++) {
      boolean improved = false;
      for (int i = 0; i < built.size(); i++) {
        // A block of calls, as in serving: the first call refills the caches the other kernel used.
        // Thread CPU time, as in the warm-up: a round preempted by another process is not slower.
        double perCall = (double) timeBlock(built.get(i), users, batch, out, ROUND_NANOS, true) / ROUND_CALLS[0];
        if (perCall < 0.95 * best[i]) improved = true;
        best[i] = Math.min(best[i], perCall);
      }
      settled = improved ? 0 : settled + 1;
      if (cpuTime() - cpuStart >= MEASURE_MAX_CPU_NANOS || System.nanoTime() - measureStart >= MAX_WALL_NANOS) break;
    }
    double flops = 2.0 * batch * numItems * dim;
    Map<Kernel, Double> gflops = new EnumMap<>(Kernel.class);
    for (int i = 0; i < best.length; i++) gflops.put(candidates.get(i), flops / best[i]);
    int winner = unsettled.isEmpty() ? fastest(best) : 0;
    return new Choice(candidates.get(winner), Collections.unmodifiableMap(gflops), System.nanoTime() - start, built.get(winner), List.copyOf(unsettled));
  }

  /** The index of the fastest time per call; a later one must beat the best so far by {@link #TIE_MARGIN}. */
  public static int fastest(double[] nanosPerCall) {
    int winner = 0;
    for (int i = 1; i < nanosPerCall.length; i++) {
      if (nanosPerCall[i] * (1 + TIE_MARGIN) < nanosPerCall[winner]) winner = i;
    }
    return winner;
  }

  /**
   * The warm-up batch: the real one up to 8 users, else 8 plus the remainder modulo 4, so that a
   * kernel blocked by 4 users takes every path and every loop of the real batch more than once.
   */
  static int warmBatch(int batch) {
    return batch <= 8 ? batch : 8 + batch % 4;
  }

  /**
   * Runs the kernel until the JIT has compiled it: its CPU time per call has settled (true), or the
   * warm-up budget is spent (false).
   */
  private static boolean warmUp(CatalogueKernel kernel, float[][] users, int batch, float[][] out, int numItems, long maxCpuNanos) {
    long wallStart = System.nanoTime();
    long cpuStart = cpuTime();
    long calls = 0;
    long minCalls = Math.max(MIN_WARMUP_CALLS, MIN_WARMUP_PAIRS / Math.max(1L, (long) batch * numItems));
    double best = Double.MAX_VALUE;
    long lastImproved = cpuStart;
    while (true) {
      long cpuTaken = timeBlock(kernel, users, batch, out, WARMUP_ROUND_NANOS, true);
      long cpu = cpuTime();
      calls += ROUND_CALLS[0];
      double perCall = (double) cpuTaken / ROUND_CALLS[0];
      if (perCall < 0.95 * best) {
        best = perCall;
        lastImproved = cpu;
      }
      if (calls >= minCalls && cpu - lastImproved >= WARMUP_SETTLED_NANOS) return true;
      if (cpu - cpuStart >= maxCpuNanos || System.nanoTime() - wallStart >= MAX_WALL_NANOS) return false;
    }
  }

  /** Calls of the last {@link #timeBlock}; the calibration runs on one thread at a time. */
  private static final long[] ROUND_CALLS = new long[1];

  /**
   * Calls the kernel for at least {@code nanos} of wall time and returns the time taken (CPU time
   * if {@code cpu}), the number of calls in {@link #ROUND_CALLS}. The warm-up and the timed rounds
   * both go through here on purpose: the JIT inlines the kernel into this loop, and a separate timing
   * loop started cold, calling a kernel method that had only ever run inlined, so it was timed
   * uncompiled (0.0 GFLOP/s).
   */
  private static long timeBlock(CatalogueKernel kernel, float[][] users, int batch, float[][] out, long nanos, boolean cpu) {
    long c0 = cpu ? cpuTime() : 0;
    long t0 = System.nanoTime();
    long n = 0;
    long t;
    do {
      kernel.score(users, batch, out);
      n++;
      t = System.nanoTime() - t0;
    } while (t < nanos);
    ROUND_CALLS[0] = n;
    return cpu ? cpuTime() - c0 : t;
  }

  /** This thread's CPU time, or wall time where the JVM cannot measure it. */
  private static long cpuTime() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** Seeded user vectors in [-1, 1): the same inputs on every run. */
  private static float[][] users(int batch, int dim) {
    SplittableRandom r = new SplittableRandom(SEED);
    float[][] users = new float[batch][dim];
    for (float[] u : users) for (int c = 0; c < dim; c++) u[c] = (float) (2 * r.nextDouble() - 1);
    return users;
  }
}
