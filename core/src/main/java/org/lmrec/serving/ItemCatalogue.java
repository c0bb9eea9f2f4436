package org.lmrec.serving;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item table [numItems + 1, d] (row 0 = padding) and the product that scores a batch of user
 * vectors against every item at once, so the table is streamed through the cache once per batch
 * rather than once per user.
 *
 * <p>Three kernels compute the product: plain loops ({@link Kernel#SCALAR}), the JDK Vector API
 * ({@link Kernel#VECTOR}, needs {@code --add-modules jdk.incubator.vector}) and OpenBLAS's sgemm
 * ({@link Kernel#BLAS}, needs the optional module {@code lmrec-serving-blas} on the classpath).
 * Which one is fastest depends on the CPU, so unless {@code -Dlmrec.serving.kernel} names one, a
 * short calibration on the catalogue's own shape picks it ({@link KernelCalibration}).
 */
public final class ItemCatalogue {
  /** The system property that forces a kernel: {@code vector}, {@code blas} or {@code scalar}. */
  public static final String KERNEL_PROPERTY = "lmrec.serving.kernel";

  private static final Logger LOG = LoggerFactory.getLogger(ItemCatalogue.class);
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** How the product is computed; all give the same scores up to float rounding. */
  public enum Kernel {
    /** Plain loops over the row-major table: the reference. */
    SCALAR,
    /** Vector API micro-kernel over a repacked copy of the table. */
    VECTOR,
    /** OpenBLAS sgemm on one thread over a native copy of the table (module lmrec-serving-blas). */
    BLAS;

    /** Whether this JVM can run the kernel. */
    public boolean available() {
      return unavailableReason() == null;
    }

    /** Null when this JVM can run the kernel, otherwise what is missing. */
    public String unavailableReason() {
      return switch (this) {
        case SCALAR -> null;
        case VECTOR -> ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()
            ? null : "it needs the JVM option --add-modules " + VECTOR_MODULE;
        case BLAS -> BlasKernelProvider.unavailableReason();
      };
    }

    /** The name {@link #KERNEL_PROPERTY} takes. */
    public String propertyValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kernel {@link #KERNEL_PROPERTY} names, if it is set; an unknown name is refused. */
    public static Optional<Kernel> forced() {
      String name = System.getProperty(KERNEL_PROPERTY);
      if (name == null || name.isBlank()) return Optional.empty();
      try {
        return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("-D" + KERNEL_PROPERTY + "=" + name + " is not one of "
            + Arrays.stream(values()).map(Kernel::propertyValue).collect(Collectors.joining(", ")), e);
      }
    }

    /**
     * The kernel named by {@link #KERNEL_PROPERTY}, or the Vector API one when this JVM can run it:
     * the choice for the encoders' dense products, which have no BLAS kernel (BLAS maps to vector there).
     */
    public static Kernel fromSystemProperty() {
      Optional<Kernel> forced = forced();
      if (forced.isPresent()) return forced.get();
      if (VECTOR.available()) return VECTOR;
      FallbackWarning.once();
      return SCALAR;
    }
  }

  private final int numItems;
  private final int dim;
  private final Kernel kernel;
  private final CatalogueKernel impl;

  /**
   * A catalogue scored by the kernel {@link #KERNEL_PROPERTY} forces, or else by the one a short
   * calibration finds fastest for batches of {@link KernelCalibration#DEFAULT_BATCH} users.
   */
  public ItemCatalogue(float[] table, int numItems, int dim) {
    this(table, numItems, dim, KernelCalibration.DEFAULT_BATCH);
  }

  /** As {@link #ItemCatalogue(float[], int, int)}, calibrated for batches of {@code batch} users. */
  public ItemCatalogue(float[] table, int numItems, int dim, int batch) {
    checkShape(table, numItems, dim);
    KernelCalibration.Choice choice = KernelCalibration.choose(table, numItems, dim, batch);
    this.numItems = numItems;
    this.dim = dim;
    this.kernel = choice.kernel();
    this.impl = choice.built() != null ? choice.built() : build(kernel, table, numItems, dim);
  }

  public ItemCatalogue(float[] table, int numItems, int dim, Kernel kernel) {
    checkShape(table, numItems, dim);
    this.numItems = numItems;
    this.dim = dim;
    this.kernel = kernel;
    this.impl = build(kernel, table, numItems, dim);
  }

  private static void checkShape(float[] table, int numItems, int dim) {
    if (numItems < 0 || dim <= 0) {
      throw new IllegalArgumentException("catalogue needs numItems >= 0 and dim > 0, got " + numItems + " and " + dim);
    }
    if (table.length != (long) (numItems + 1) * dim) {
      throw new IllegalArgumentException(
          "item table has " + table.length + " values, expected (numItems + 1) * dim = " + (long) (numItems + 1) * dim);
    }
  }

  /** The kernel's implementation over the table; the shape has been checked. */
  static CatalogueKernel build(Kernel kernel, float[] table, int numItems, int dim) {
    String missing = kernel.unavailableReason();
    if (missing != null) {
      throw new IllegalStateException("the " + kernel.propertyValue() + " catalogue kernel is not available: " + missing);
    }
    return switch (kernel) {
      case SCALAR -> new ScalarCatalogueKernel(table, numItems, dim);
      case VECTOR -> new VectorCatalogueKernel(table, numItems, dim);
      case BLAS -> BlasKernelProvider.create(table, numItems, dim);
    };
  }

  public int numItems() {
    return numItems;
  }

  public int dim() {
    return dim;
  }

  public Kernel kernel() {
    return kernel;
  }

  /** Scores [users.length][numItems + 1]; column 0 is set to negative infinity. */
  public float[][] scores(float[][] users) {
    float[][] out = new float[users.length][numItems + 1];
    scores(users, users.length, out);
    return out;
  }

  /**
   * Scores the first {@code count} users into rows {@code out[0..count)} (each of length
   * {@code numItems + 1}, column 0 set to negative infinity), so a caller scoring batch after
   * batch can reuse its buffers. Rows at {@code count} and beyond are left untouched.
   */
  public void scores(float[][] users, int count, float[][] out) {
    if (count < 0 || count > users.length || count > out.length) {
      throw new IllegalArgumentException(
          "cannot score " + count + " users: " + users.length + " user vectors, " + out.length + " output rows");
    }
    for (int u = 0; u < count; u++) {
      if (users[u] == null || users[u].length != dim) {
        throw new IllegalArgumentException(
            "user " + u + " has " + (users[u] == null ? "no vector" : users[u].length + " values") + ", expected dim = " + dim);
      }
      if (out[u] == null || out[u].length != numItems + 1) {
        throw new IllegalArgumentException(
            "output row " + u + " has " + (out[u] == null ? "no array" : out[u].length + " values")
                + ", expected numItems + 1 = " + (numItems + 1));
      }
    }
    impl.score(users, count, out);
  }

  /** Says once per JVM that scoring runs on the slow path, and how to get the fast one. */
  static final class FallbackWarning {
    static {
      LOG.warn(
          "{} is not loaded: item scoring uses the scalar kernel; start the JVM with --add-modules {} for the vector one",
          VECTOR_MODULE, VECTOR_MODULE);
    }

    static void once() {}
  }
}
