package org.lmrec.serving;

import java.util.BitSet;
import java.util.Random;

/**
 * Seeded item tables and user vectors for the approximate top-K: pure Gaussian (no structure, the
 * pessimistic case for a graph index) and clustered (items around topic centres with uneven norms,
 * users near a centre: closer to a trained model's table). Shared with the benchmarks via the test jar.
 */
public final class SyntheticItemTables {
  private SyntheticItemTables() {}

  /** [items + 1, dim], row 0 zeros; every value N(0, 0.1). */
  public static float[] gaussian(int items, int dim, long seed) {
    Random r = new Random(seed);
    float[] table = new float[(items + 1) * dim];
    for (int i = dim; i < table.length; i++) table[i] = (float) (r.nextGaussian() * 0.1);
    return table;
  }

  /**
   * [items + 1, dim], row 0 zeros: item = (centre + 0.5 noise) times a log-normal norm factor
   * (sigma 0.3, like popularity spreading trained norms), centres N(0, 1) per coordinate / sqrt(dim).
   */
  public static float[] clustered(int items, int dim, int clusters, long seed) {
    Random r = new Random(seed);
    float[][] centres = centres(clusters, dim, seed);
    float[] table = new float[(items + 1) * dim];
    double scale = 1 / Math.sqrt(dim);
    for (int i = 1; i <= items; i++) {
      float[] c = centres[r.nextInt(clusters)];
      double norm = Math.exp(0.3 * r.nextGaussian());
      for (int j = 0; j < dim; j++) table[i * dim + j] = (float) (norm * (c[j] + 0.5 * scale * r.nextGaussian()));
    }
    return table;
  }

  /** Users for {@link #gaussian}: N(0, 1) per coordinate. */
  public static float[][] gaussianUsers(int users, int dim, long seed) {
    Random r = new Random(seed);
    float[][] out = new float[users][dim];
    for (float[] u : out) for (int j = 0; j < dim; j++) u[j] = (float) r.nextGaussian();
    return out;
  }

  /** Users for {@link #clustered} with the same {@code tableSeed}: a centre plus as much noise again. */
  public static float[][] clusteredUsers(int users, int dim, int clusters, long tableSeed, long seed) {
    Random r = new Random(seed);
    float[][] centres = centres(clusters, dim, tableSeed);
    double scale = 1 / Math.sqrt(dim);
    float[][] out = new float[users][dim];
    for (float[] u : out) {
      float[] c = centres[r.nextInt(clusters)];
      for (int j = 0; j < dim; j++) u[j] = (float) (c[j] + scale * r.nextGaussian());
    }
    return out;
  }

  /** {@code count} distinct items in [1, items], seeded: a user's seen items. */
  public static BitSet seen(int items, int count, long seed) {
    Random r = new Random(seed);
    BitSet seen = new BitSet(items + 1);
    while (seen.cardinality() < Math.min(count, items)) seen.set(1 + r.nextInt(items));
    return seen;
  }

  private static float[][] centres(int clusters, int dim, long seed) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    double scale = 1 / Math.sqrt(dim);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) for (int j = 0; j < dim; j++) c[j] = (float) (r.nextGaussian() * scale);
    return centres;
  }
}
