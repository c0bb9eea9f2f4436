package org.lmrec.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.lmrec.serving.HnswItemIndex;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.serving.SyntheticItemTables;
import org.lmrec.serving.TopK;

/**
 * Exact top-K (the whole catalogue scored on the vector kernel in micro-batches, then {@link TopK})
 * against the HNSW index ({@link HnswItemIndex}), one thread, as the catalogue grows: per-user time
 * of each, the speed-up, recall@10 of HNSW against exact, and the index's build time and graph
 * memory. Both paths exclude the same seeded seen items per user and are timed in alternating rounds
 * of the same run, so load on a shared machine hits both alike; the ratio is the number to read.
 *
 * <p>Usage: {@code AnnBenchmark [items=3000,100000,1000000] [tables=clustered,gaussian] [dim=64]
 * [users=256] [batch=32] [k=10] [seen=20] [warmups=5] [rounds=5] [ef=50,100,200] [m=16] [beamWidth=100]
 * [clusters=(items/100, 16..4096)]}.
 */
public final class AnnBenchmark {
  private AnnBenchmark() {}

  public static void main(String[] argv) {
    Args a = new Args(argv);
    int[] sizes = ints(a.get("items", "3000,100000,1000000"));
    String[] tables = a.get("tables", "clustered,gaussian").split(",");
    int dim = a.getInt("dim", 64);
    int users = a.getInt("users", 256);
    int batch = a.getInt("batch", 32);
    int k = a.getInt("k", 10);
    int seenCount = a.getInt("seen", 20);
    int warmups = a.getInt("warmups", 5);
    int rounds = a.getInt("rounds", 5);
    int[] efs = ints(a.get("ef", "50,100,200"));
    int m = a.getInt("m", HnswItemIndex.Params.DEFAULT_MAX_CONN);
    int beamWidth = a.getInt("beamWidth", HnswItemIndex.Params.DEFAULT_BEAM_WIDTH);
    int fixedClusters = a.getInt("clusters", 0);

    List<String> rows = new ArrayList<>();
    for (int items : sizes) {
      for (String kind : tables) {
        int clusters = fixedClusters > 0 ? fixedClusters : Math.max(16, Math.min(4096, items / 100));
        long seed = 1_000_003L * items + dim;
        float[] table;
        float[][] queries;
        String label;
        switch (kind) {
          case "clustered" -> {
            table = SyntheticItemTables.clustered(items, dim, clusters, seed);
            queries = SyntheticItemTables.clusteredUsers(users, dim, clusters, seed, 7919L + items);
            label = "clustered (" + clusters + ")";
          }
          case "gaussian" -> {
            table = SyntheticItemTables.gaussian(items, dim, seed);
            queries = SyntheticItemTables.gaussianUsers(users, dim, 7919L + items);
            label = "gaussian";
          }
          default -> throw new IllegalArgumentException("tables= takes clustered, gaussian; got " + kind);
        }
        BitSet[] seen = new BitSet[users];
        for (int u = 0; u < users; u++) seen[u] = SyntheticItemTables.seen(items, seenCount, 31L * u + items);
        rows.addAll(measure(items, dim, label, table, queries, seen, batch, k, warmups, rounds, efs, new HnswItemIndex.Params(m, beamWidth, efs[0], HnswItemIndex.Params.DEFAULT_SEED)));
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "Exact scan vs HNSW top-%d, d %d, %d users (exact in micro-batches of %d), %d seen items excluded per user, one thread,"
        + " M %d, beamWidth %d; median of %d alternating rounds after at least %d warm-up rounds and 3 s of each:%n", k, dim, users, batch, seenCount, m, beamWidth, rounds, warmups);
    System.out.println("| items | table | build s | graph MB | efSearch | exact µs/user | HNSW µs/user | speed-up | recall@" + k + " |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private static List<String> measure(int items, int dim, String label, float[] table, float[][] queries, BitSet[] seen,
      int batch, int k, int warmups, int rounds, int[] efs, HnswItemIndex.Params params) {
    ItemCatalogue catalogue = new ItemCatalogue(table, items, dim);
    System.err.printf(Locale.ROOT, "%d items, %s: building the graph...%n", items, label);
    HnswItemIndex index = HnswItemIndex.build(table, items, dim, params);
    System.err.printf(Locale.ROOT, "  built in %.1f s, graph %.1f MB%n", index.buildMillis() / 1000, index.graphBytes() / 1e6);
    float[][] rows = new float[batch][items + 1];
    int[][] exactTop = new int[queries.length][];
    List<String> out = new ArrayList<>();
    for (int ef : efs) {
      HnswItemIndex search = index.withEfSearch(ef);
      double[] exactNs = new double[rounds];
      double[] hnswNs = new double[rounds];
      int[][] approxTop = new int[queries.length][];
      // Unmeasured: the graph search needs thousands of queries (and, on a busy machine, seconds)
      // before C2 has compiled it, so warm up for at least `warmups` rounds and 3 s of each path.
      long exactWarm = 0;
      long hnswWarm = 0;
      for (int w = 0; w < warmups || exactWarm < 3_000_000_000L || hnswWarm < 3_000_000_000L; w++) {
        exactWarm += exact(catalogue, queries, seen, rows, k, exactTop);
        hnswWarm += hnsw(search, queries, seen, k, approxTop);
      }
      for (int r = 0; r < rounds; r++) {
        exactNs[r] = exact(catalogue, queries, seen, rows, k, exactTop) / (double) queries.length;
        hnswNs[r] = hnsw(search, queries, seen, k, approxTop) / (double) queries.length;
      }
      double exactUs = median(exactNs) / 1000;
      double hnswUs = median(hnswNs) / 1000;
      double recall = recall(exactTop, approxTop, k);
      System.err.printf(Locale.ROOT, "  ef %d: exact %.1f µs/user, HNSW %.1f µs/user, recall@%d %.4f%n", ef, exactUs, hnswUs, k, recall);
      out.add(String.format(Locale.ROOT, "| %,d | %s | %.1f | %.0f | %d | %.1f | %.1f | %.2fx | %.4f |", items, label,
          index.buildMillis() / 1000, index.graphBytes() / 1e6, ef, exactUs, hnswUs, exactUs / hnswUs, recall));
    }
    return out;
  }

  /** Nanoseconds to score every query against the whole catalogue in micro-batches and take each one's top k. */
  private static long exact(ItemCatalogue catalogue, float[][] queries, BitSet[] seen, float[][] rows, int k, int[][] top) {
    long start = System.nanoTime();
    for (int from = 0; from < queries.length; from += rows.length) {
      int count = Math.min(rows.length, queries.length - from);
      catalogue.scores(Arrays.copyOfRange(queries, from, from + count), count, rows);
      for (int u = 0; u < count; u++) top[from + u] = TopK.select(rows[u], k, seen[from + u]);
    }
    return System.nanoTime() - start;
  }

  private static long hnsw(HnswItemIndex index, float[][] queries, BitSet[] seen, int k, int[][] top) {
    long start = System.nanoTime();
    for (int u = 0; u < queries.length; u++) top[u] = index.search(queries[u], k, seen[u]).items();
    return System.nanoTime() - start;
  }

  private static double recall(int[][] exact, int[][] approx, int k) {
    int found = 0;
    int total = 0;
    for (int u = 0; u < exact.length; u++) {
      BitSet truth = new BitSet();
      for (int item : exact[u]) truth.set(item);
      for (int item : approx[u]) if (truth.get(item)) found++;
      total += Math.min(k, exact[u].length);
    }
    return total == 0 ? 1 : found / (double) total;
  }

  /** The median of {@code v} (the mean of the middle two for an even count); {@code v} is not changed. */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }
}
