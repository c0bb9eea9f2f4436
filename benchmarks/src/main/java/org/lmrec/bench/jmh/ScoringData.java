package org.lmrec.bench.jmh;

import java.util.Random;

/** Seeded Gaussian tables and user vectors shared by the scoring benchmarks, so all score the same numbers. */
final class ScoringData {
  private ScoringData() {}

  /** The item table [items + 1, dim], row 0 = padding (zeros), like a trained model's. */
  static float[] itemTable(int items, int dim) {
    Random r = new Random(1_000_003L * items + dim);
    float[] table = new float[(items + 1) * dim];
    for (int i = dim; i < table.length; i++) table[i] = (float) (r.nextGaussian() * 0.1);
    return table;
  }

  static float[][] users(int batch, int dim) {
    Random r = new Random(7919L * batch + dim);
    float[][] users = new float[batch][dim];
    for (float[] u : users) for (int c = 0; c < dim; c++) u[c] = (float) r.nextGaussian();
    return users;
  }
}
