package org.lmrec.serving;

import java.util.ArrayList;
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
 * on others (issue 22), so each available fast kernel scores the catalogue's own shape for a few
 * milliseconds and the faster one is kept. One log line gives the choice and every measured rate.
 *
 * <p>The inputs are deterministic (seeded user vectors, the real table), each candidate is first
 * warmed up on a slice of the table so that the JIT has compiled it, and the timed rounds alternate
 * between candidates so that a burst of load from elsewhere hurts both. The best round counts. The
 * choice is remembered per shape for the JVM's life, so a model swap of the same shape does not
 * calibrate again.
 */
public final class KernelCalibration {
  /** The batch the streaming job scores by default ({@code lmrec.scoring.batch-size}). */
  public static final int DEFAULT_BATCH = 64;
  /**
   * Warm-up per candidate, on a slice of at most {@link #WARMUP_ITEMS} items: at least
   * {@link #MIN_WARMUP_CALLS} calls (enough for C2 to queue the kernel's inner methods), then until
   * the time per call has not improved for {@link #WARMUP_SETTLED_NANOS}, at most
   * {@link #WARMUP_MAX_NANOS}. A fixed few milliseconds measured the interpreter: in a fresh JVM the
   * vector kernel ran at 0.1 GFLOP/s after 40 ms.
   */
  static final int WARMUP_ITEMS = 512;
  static final int MIN_WARMUP_CALLS = 1000;
  static final long WARMUP_SETTLED_NANOS = 50_000_000L;
  static final long WARMUP_MAX_NANOS = 500_000_000L;
  private static final long WARMUP_ROUND_NANOS = 2_000_000L;
  /** Timed rounds stop after this much time (each candidate has at least one) or {@link #MAX_ROUNDS}. */
  static final long MEASURE_NANOS = 150_000_000L;
  static final int MAX_ROUNDS = 25;
  private static final long SEED = 20261207L;

  private static final Logger LOG = LoggerFactory.getLogger(KernelCalibration.class);
  private static final Map<List<Integer>, Kernel> CHOSEN = new ConcurrentHashMap<>();

  private KernelCalibration() {}

  /**
   * The measured rates, the winner and, when it was measured here, the winner's built kernel (so the
   * table is not packed twice). {@code gflops} is empty when nothing was measured.
   */
  public record Choice(Kernel kernel, Map<Kernel, Double> gflops, long nanos, CatalogueKernel built) {
    /** The one line that is logged: the choice, each rate, the shape and the time it took. */
    public String describe(int numItems, int dim, int batch) {
      String rates = gflops.entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s %.1f GFLOP/s", e.getKey().propertyValue(), e.getValue()))
          .collect(Collectors.joining(", "));
      return String.format(Locale.ROOT,
          "catalogue kernel: %s (calibrated on %d items x %d dims, batch %d, in %d ms: %s; -D%s=%s forces one)",
          kernel.propertyValue(), numItems, dim, batch, nanos / 1_000_000, rates.isEmpty() ? "only candidate" : rates,
          ItemCatalogue.KERNEL_PROPERTY, "vector|blas|scalar");
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
    List<Integer> shape = List.of(numItems, dim, batch);
    Kernel earlier = CHOSEN.get(shape);
    if (earlier != null) return new Choice(earlier, Map.of(), 0, null);
    List<Kernel> candidates = candidates();
    if (candidates.isEmpty()) {
      ItemCatalogue.FallbackWarning.once();
      return new Choice(Kernel.SCALAR, Map.of(), 0, null);
    }
    Choice choice = measure(table, numItems, dim, batch, candidates);
    CHOSEN.put(shape, choice.kernel());
    LOG.info(choice.describe(numItems, dim, batch));
    return choice;
  }

  /** The fast kernels this JVM can run; the scalar loops are only ever a fallback. */
  static List<Kernel> candidates() {
    List<Kernel> out = new ArrayList<>();
    for (Kernel k : List.of(Kernel.VECTOR, Kernel.BLAS)) if (k.available()) out.add(k);
    return out;
  }

  /** Times each candidate on this shape and returns the fastest; ties go to the earlier candidate. */
  static Choice measure(float[] table, int numItems, int dim, int batch, List<Kernel> candidates) {
    if (batch <= 0) throw new IllegalArgumentException("calibration batch must be positive, got " + batch);
    long start = System.nanoTime();
    float[][] users = users(batch, dim);
    float[][] out = new float[batch][numItems + 1];
    int warmItems = Math.min(numItems, WARMUP_ITEMS);
    // Four users and the batch's remainder take every path of a blocked kernel at a fraction of the cost.
    int warmBatch = batch >= 4 ? 4 + batch % 4 : batch;
    float[][] warmOut = new float[warmBatch][warmItems + 1];
    List<CatalogueKernel> built = new ArrayList<>();
    for (Kernel k : candidates) {
      // The table's first rows are a valid smaller table: the same code paths, compiled before timing.
      warmUp(ItemCatalogue.build(k, table, warmItems, dim), users, warmBatch, warmOut);
      built.add(ItemCatalogue.build(k, table, numItems, dim));
    }
    long[] best = new long[candidates.size()];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    long measureStart = System.nanoTime();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      for (int i = 0; i < built.size(); i++) {
        long t0 = System.nanoTime();
        built.get(i).score(users, batch, out);
        best[i] = Math.min(best[i], System.nanoTime() - t0);
      }
      if (System.nanoTime() - measureStart >= MEASURE_NANOS) break;
    }
    double flops = 2.0 * batch * numItems * dim;
    Map<Kernel, Double> gflops = new EnumMap<>(Kernel.class);
    int winner = 0;
    for (int i = 0; i < best.length; i++) {
      gflops.put(candidates.get(i), flops / Math.max(1, best[i]));
      if (best[i] < best[winner]) winner = i;
    }
    return new Choice(candidates.get(winner), Collections.unmodifiableMap(gflops), System.nanoTime() - start, built.get(winner));
  }

  /** Runs the kernel until the JIT has compiled it: its time per call has settled, or the warm-up time is spent. */
  private static void warmUp(CatalogueKernel kernel, float[][] users, int batch, float[][] out) {
    long start = System.nanoTime();
    long calls = 0;
    double best = Double.MAX_VALUE;
    long lastImproved = start;
    while (true) {
      long t0 = System.nanoTime();
      int n = 0;
      do {
        kernel.score(users, batch, out);
        n++;
      } while (System.nanoTime() - t0 < WARMUP_ROUND_NANOS);
      long now = System.nanoTime();
      calls += n;
      double perCall = (double) (now - t0) / n;
      if (perCall < 0.95 * best) {
        best = perCall;
        lastImproved = now;
      }
      if (now - start >= WARMUP_MAX_NANOS) return;
      if (calls >= MIN_WARMUP_CALLS && now - lastImproved >= WARMUP_SETTLED_NANOS) return;
    }
  }

  /** Seeded user vectors in [-1, 1): the same inputs on every run. */
  private static float[][] users(int batch, int dim) {
    SplittableRandom r = new SplittableRandom(SEED);
    float[][] users = new float[batch][dim];
    for (float[] u : users) for (int c = 0; c < dim; c++) u[c] = (float) (2 * r.nextDouble() - 1);
    return users;
  }
}
