package org.lmrec.serving.blas;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.lmrec.serving.CatalogueKernel;
import org.lmrec.serving.CatalogueKernelProvider;

/**
 * Provides {@code ItemCatalogue.Kernel.BLAS}: OpenBLAS from the bytedeco jars (extracted from the jar
 * into JavaCPP's cache on first use, never downloaded), held to one thread because each Flink
 * operator instance owns one core.
 */
public final class OpenBlasKernelProvider implements CatalogueKernelProvider {
  private static final String UNAVAILABLE = load();

  private static String load() {
    try {
      Loader.load(openblas_nolapack.class);
      // Process-wide; serving never wants BLAS to start threads of its own.
      openblas_nolapack.blas_set_num_threads(1);
      return null;
    } catch (Throwable e) { // UnsatisfiedLinkError on a platform without a native jar, or a broken cache
      return "OpenBLAS did not load: " + e;
    }
  }

  @Override
  public String unavailableReason() {
    return UNAVAILABLE;
  }

  @Override
  public CatalogueKernel create(float[] table, int numItems, int dim) {
    if (UNAVAILABLE != null) throw new IllegalStateException(UNAVAILABLE);
    return new OpenBlasCatalogueKernel(table, numItems, dim);
  }
}
