package org.lmrec.serving;

/**
 * Scores a batch of user vectors against every item of one catalogue. Implementations are
 * single-threaded on purpose: each Flink operator instance already owns a core. Public so that an
 * optional module can add one through {@link CatalogueKernelProvider} (the native BLAS kernel).
 */
public interface CatalogueKernel {
  /**
   * Fills {@code out[u][item]} with the dot product of {@code users[u]} and item {@code item}'s
   * embedding for {@code u < count} and {@code 1 <= item <= numItems}; {@code out[u][0]} is set to
   * negative infinity. The caller has checked the shapes.
   */
  void score(float[][] users, int count, float[][] out);
}
