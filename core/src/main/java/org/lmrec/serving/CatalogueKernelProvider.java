package org.lmrec.serving;

/**
 * A catalogue kernel that lives outside core, found with {@link java.util.ServiceLoader}: the
 * optional module {@code lmrec-serving-blas} provides {@link ItemCatalogue.Kernel#BLAS} this way,
 * so core and the jobs that do not want a native library never load one.
 */
public interface CatalogueKernelProvider {
  /** Null when the kernel can run in this JVM, otherwise why not (for example, its native library did not load). */
  String unavailableReason();

  /** A kernel over the table [numItems + 1, dim] (row 0 = padding); only called when {@link #unavailableReason()} is null. */
  CatalogueKernel create(float[] table, int numItems, int dim);
}
