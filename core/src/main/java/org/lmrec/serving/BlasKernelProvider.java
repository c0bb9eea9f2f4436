package org.lmrec.serving;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Looks for the BLAS kernel's provider once per JVM; absent unless lmrec-serving-blas is on the classpath. */
final class BlasKernelProvider {
  private static final CatalogueKernelProvider PROVIDER;
  private static final String UNAVAILABLE;

  static {
    CatalogueKernelProvider found = null;
    String reason;
    try {
      Iterator<CatalogueKernelProvider> it =
          ServiceLoader.load(CatalogueKernelProvider.class, BlasKernelProvider.class.getClassLoader()).iterator();
      if (it.hasNext()) found = it.next();
      reason = found == null ? "lmrec-serving-blas is not on the classpath" : found.unavailableReason();
    } catch (ServiceConfigurationError | LinkageError e) {
      reason = "its provider failed to load: " + e;
    }
    PROVIDER = found;
    UNAVAILABLE = reason;
  }

  private BlasKernelProvider() {}

  /** Null when the BLAS kernel can run here, otherwise why not. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  static CatalogueKernel create(float[] table, int numItems, int dim) {
    if (UNAVAILABLE != null) throw new IllegalStateException("the BLAS catalogue kernel is not available: " + UNAVAILABLE);
    return PROVIDER.create(table, numItems, dim);
  }
}
