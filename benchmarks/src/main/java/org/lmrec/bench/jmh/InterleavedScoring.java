package org.lmrec.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lmrec.model.EngineSettings;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.serving.ItemCatalogue.Kernel;

/**
 * The catalogue kernels and PyTorch's matmul timed round-robin in one JVM, one thread each: every
 * round times a block of calls of each in turn, so a burst of load from other work on a shared
 * machine hits all three alike (JMH runs them in separate forks minutes apart, and on a busy
 * 2-core machine its ratios flipped between runs). Prints the median and best round of each, what
 * ItemCatalogue's start-up calibration picks, and the before (vector) and after (picked) ratios to
 * PyTorch.
 *
 * <p>Usage: {@code InterleavedScoring [batch=1,32,256] [items=3000,100000] [dim=64] [seconds=3]}
 * (seconds of timed rounds per shape, after 1 s of warm-up each).
 */
public final class InterleavedScoring {
  private static final long BLOCK_NANOS = 2_000_000L;

  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    int[] batches = ints(a.getOrDefault("batch", "1,32,256"));
    int[] itemCounts = ints(a.getOrDefault("items", "3000,100000"));
    int dim = Integer.parseInt(a.getOrDefault("dim", "64"));
    long seconds = Long.parseLong(a.getOrDefault("seconds", "3"));
    EngineSettings.configure(1);
    List<String> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      for (int items : itemCounts) {
        float[] table = ScoringData.itemTable(items, dim);
        NDArray itemsByDim = manager.create(transposed(table, items, dim), new Shape(dim, items));
        ItemCatalogue vector = new ItemCatalogue(table, items, dim, Kernel.VECTOR);
        ItemCatalogue blas = new ItemCatalogue(table, items, dim, Kernel.BLAS);
        for (int batch : batches) {
          float[][] users = ScoringData.users(batch, dim);
          float[][] out = new float[batch][items + 1];
          NDArray u = manager.create(flat(users, dim), new Shape(batch, dim));
          Kernel picked = new ItemCatalogue(table, items, dim, batch).kernel(); // logs the calibration line
          Runnable[] runs = {
            () -> vector.scores(users, batch, out),
            () -> blas.scores(users, batch, out),
            () -> {
              try (NDArray s = u.matMul(itemsByDim)) {
                s.getShape(); // the result stays native, as in DjlMatmulBenchmark
              }
            }
          };
          for (Runnable r : runs) block(r, 1_000_000_000L / runs.length); // warm-up
          List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
          double flops = 2.0 * batch * items * dim;
          long end = System.nanoTime() + seconds * 1_000_000_000L;
          while (System.nanoTime() < end) {
            for (int k = 0; k < runs.length; k++) rates.get(k).add(flops * block(runs[k], BLOCK_NANOS)); // flop per ns = GFLOP/s
          }
          u.close();
          double[] med = new double[3];
          double[] best = new double[3];
          for (int k = 0; k < 3; k++) {
            double[] v = rates.get(k).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            med[k] = v[v.length / 2];
            best[k] = v[v.length - 1];
          }
          double pickedMed = picked == Kernel.BLAS ? med[1] : med[0];
          rows.add(String.format(Locale.ROOT, "| %d | %,d | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %s | %.2f | %.2f | %d |",
              batch, items, med[0], best[0], med[1], best[1], med[2], best[2], picked.propertyValue(),
              med[0] / med[2], pickedMed / med[2], rates.get(0).size()));
        }
        itemsByDim.close();
      }
    }
    System.out.println();
    System.out.println("Interleaved rounds, one thread each; GFLOP/s as the median (best) round; before = the vector kernel,"
        + " after = the kernel the calibration picks:");
    System.out.println("| users | items | vector | OpenBLAS | PyTorch matmul | calibration picks | before: vector ÷ PyTorch |"
        + " after: picked ÷ PyTorch | rounds |");
    System.out.println("|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  /** Calls r for at least the given time; returns calls per nanosecond. */
  private static double block(Runnable r, long nanos) {
    long t0 = System.nanoTime();
    long n = 0;
    long t;
    do {
      r.run();
      n++;
      t = System.nanoTime() - t0;
    } while (t < nanos);
    return (double) n / t;
  }

  private static float[] transposed(float[] table, int items, int dim) {
    float[] t = new float[dim * items]; // [d, items] without the padding row
    for (int i = 1; i <= items; i++) for (int c = 0; c < dim; c++) t[c * items + (i - 1)] = table[i * dim + c];
    return t;
  }

  private static float[] flat(float[][] users, int dim) {
    float[] f = new float[users.length * dim];
    for (int b = 0; b < users.length; b++) System.arraycopy(users[b], 0, f, b * dim, dim);
    return f;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
