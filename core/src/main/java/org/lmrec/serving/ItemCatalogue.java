package org.lmrec.serving;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item table [numItems + 1, d] (row 0 = padding) and the product that scores a batch of user
 * vectors against every item at once, so the table is streamed through the cache once per batch
 * rather than once per user.
 *
 * <p>The product runs on the JDK Vector API ({@link Kernel#VECTOR}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, otherwise on plain loops ({@link Kernel#SCALAR}).
 * {@code -Dlmrec.serving.kernel=scalar} forces the plain loops.
 */
public final class ItemCatalogue {
  /** The system property that picks the default kernel: {@code vector} or {@code scalar}. */
  public static final String KERNEL_PROPERTY = "lmrec.serving.kernel";

  private static final Logger LOG = LoggerFactory.getLogger(ItemCatalogue.class);
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** How the product is computed; both give the same scores up to float rounding. */
  public enum Kernel {
    /** Plain loops over the row-major table: the reference. */
    SCALAR,
    /** Vector API micro-kernel over a repacked copy of the table. */
    VECTOR;

    /** Whether this JVM can run the kernel. */
    public boolean available() {
      return this == SCALAR || ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** The kernel named by {@link #KERNEL_PROPERTY}, or the fastest one this JVM can run. */
    public static Kernel fromSystemProperty() {
      String name = System.getProperty(KERNEL_PROPERTY);
      if (name != null) {
        try {
          return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("-D" + KERNEL_PROPERTY + "=" + name + " is not one of vector, scalar", e);
        }
      }
      if (VECTOR.available()) return VECTOR;
      FallbackWarning.once();
      return SCALAR;
    }
  }

  private final int numItems;
  private final int dim;
  private final Kernel kernel;
  private final CatalogueKernel impl;

  /** A catalogue scored by {@link Kernel#fromSystemProperty()}. */
  public ItemCatalogue(float[] table, int numItems, int dim) {
    this(table, numItems, dim, Kernel.fromSystemProperty());
  }

  public ItemCatalogue(float[] table, int numItems, int dim, Kernel kernel) {
    if (numItems < 0 || dim <= 0) {
      throw new IllegalArgumentException("catalogue needs numItems >= 0 and dim > 0, got " + numItems + " and " + dim);
    }
    if (table.length != (long) (numItems + 1) * dim) {
      throw new IllegalArgumentException(
          "item table has " + table.length + " values, expected (numItems + 1) * dim = " + (long) (numItems + 1) * dim);
    }
    if (!kernel.available()) {
      throw new IllegalStateException(
          "the " + kernel + " catalogue kernel needs the JVM option --add-modules " + VECTOR_MODULE);
    }
    this.numItems = numItems;
    this.dim = dim;
    this.kernel = kernel;
    this.impl =
        switch (kernel) {
          case SCALAR -> new ScalarCatalogueKernel(table, numItems, dim);
          case VECTOR -> new VectorCatalogueKernel(table, numItems, dim);
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
  private static final class FallbackWarning {
    static {
      LOG.warn(
          "{} is not loaded: item scoring uses the scalar kernel; start the JVM with --add-modules {} for the vector one",
          VECTOR_MODULE, VECTOR_MODULE);
    }

    static void once() {}
  }
}
