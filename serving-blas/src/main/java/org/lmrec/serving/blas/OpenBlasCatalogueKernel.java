package org.lmrec.serving.blas;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import org.bytedeco.javacpp.FloatPointer;
import org.lmrec.serving.CatalogueKernel;

/**
 * The catalogue product as OpenBLAS sgemm calls: scores[users, items] = U[users, d] · T[items, d]ᵀ.
 *
 * <p>A batch of one user is a matrix-vector product (sgemv). The table (without its padding row) is
 * copied once into native memory. A batch is scored in chunks of items whose result block fits in
 * L2, so copying a chunk's scores into the caller's Java rows reads them from cache rather than from
 * memory. Each calling thread gets its own native buffers, allocated on its first batch and grown
 * only when a larger batch comes, so the hot path allocates nothing.
 */
final class OpenBlasCatalogueKernel implements CatalogueKernel {
  /** Floats in one chunk's result block: 256 KB, half of a small L2. */
  private static final int CHUNK_FLOATS = 64 * 1024;
  /** At least this many items per sgemm call, so a large batch still amortises the call. */
  private static final int MIN_CHUNK_ITEMS = 256;

  private final FloatPointer items;
  private final int numItems;
  private final int dim;
  private final ThreadLocal<Buffers> buffers;

  OpenBlasCatalogueKernel(float[] table, int numItems, int dim) {
    this.numItems = numItems;
    this.dim = dim;
    // Row 0 is padding; the native table starts at item 1. At least one float, as a zero-item table is legal.
    this.items = new FloatPointer(Math.max(1L, (long) numItems * dim));
    items.put(table, dim, numItems * dim);
    this.buffers = ThreadLocal.withInitial(() -> new Buffers(items));
  }

  @Override
  public void score(float[][] users, int count, float[][] out) {
    if (count > 0 && numItems > 0) {
      Buffers b = buffers.get();
      int chunk = Math.min(numItems, Math.max(MIN_CHUNK_ITEMS, CHUNK_FLOATS / count));
      b.ensure(count, dim, chunk);
      for (int u = 0; u < count; u++) b.users.position((long) u * dim).put(users[u], 0, dim);
      b.users.position(0);
      for (int first = 0; first < numItems; first += chunk) {
        int n = Math.min(chunk, numItems - first);
        b.table.position((long) first * dim);
        if (count == 1) { // a matrix-vector product: sgemm's packing would cost more than the product
          cblas_sgemv(CblasRowMajor, CblasNoTrans, n, dim, 1f, b.table, dim, b.users, 1, 0f, b.scores.position(0), 1);
        } else {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count, n, dim, 1f, b.users, dim, b.table, dim, 0f, b.scores.position(0), n);
        }
        for (int u = 0; u < count; u++) b.scores.position((long) u * n).get(out[u], 1 + first, n);
      }
    }
    for (int u = 0; u < count; u++) out[u][0] = Float.NEGATIVE_INFINITY;
  }

  /** One thread's native buffers, and its own view of the table whose position it may move. */
  private static final class Buffers {
    final FloatPointer table;
    FloatPointer users = new FloatPointer(1L);
    FloatPointer scores = new FloatPointer(1L);

    Buffers(FloatPointer items) {
      this.table = new FloatPointer(items);
    }

    void ensure(int count, int dim, int chunk) {
      if (users.capacity() < (long) count * dim) users = new FloatPointer((long) count * dim);
      if (scores.capacity() < (long) count * chunk) scores = new FloatPointer((long) count * chunk);
    }
  }
}
