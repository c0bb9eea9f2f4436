package org.lmrec.serving;

/**
 * The dense operations the batched encoders are built from: a matrix product and the row-wise
 * steps around it. {@link ScalarDenseKernel} repeats the arithmetic of the one-history encoders
 * exactly; {@link VectorDenseKernel} runs on the JDK Vector API and differs from it by float
 * rounding only. Implementations are stateless and thread-safe.
 */
interface DenseKernel {
  /**
   * The kernel for an {@link ItemCatalogue.Kernel} choice (the same switch picks both products);
   * BLAS has no encoder kernel, so it means the Vector API one here, or plain loops without it.
   */
  static DenseKernel of(ItemCatalogue.Kernel kernel) {
    if (kernel == ItemCatalogue.Kernel.BLAS) {
      kernel = ItemCatalogue.Kernel.VECTOR.available() ? ItemCatalogue.Kernel.VECTOR : ItemCatalogue.Kernel.SCALAR;
    }
    if (!kernel.available()) {
      throw new IllegalStateException("the " + kernel + " encoder kernel needs the JVM option --add-modules jdk.incubator.vector");
    }
    return switch (kernel) {
      case SCALAR -> ScalarDenseKernel.INSTANCE;
      case VECTOR, BLAS -> VectorDenseKernel.INSTANCE;
    };
  }

  /**
   * {@code y = x · W (+ bias)} for a block of rows: x is [rows, in] with row stride {@code ldx}, W
   * is [in, out] with row stride {@code ldw} (the layout of {@link DenseMath#linearInOut}), y is
   * [rows, out] with row stride {@code ldy} and is overwritten. {@code bias} (length >= out) may be
   * null. Each output is summed over i in order, starting from the bias (or zero).
   */
  void multiply(
      float[] x, int xOff, int ldx, int rows, int in, float[] w, int wOff, int ldw, int out, float[] bias,
      float[] y, int yOff, int ldy);

  /** Layer normalisation of {@code rows} contiguous rows of width d; y may be x (in place). */
  void layerNorm(float[] x, int xOff, int rows, int d, float[] gamma, float[] beta, float eps, float[] y, int yOff);

  /**
   * Attention weights in place: {@code s[off, off + count)} becomes softmax(scale * s) over those
   * entries.
   */
  void softmax(float[] s, int off, int count, float scale);

  /**
   * One GRU update for {@code rows} users: gi and gh hold the input and hidden gate products
   * [rows, 3 * hidden] (gates reset, update, new; gi from {@code giOff}, gh from 0), h the hidden
   * states [rows, hidden], advanced in place.
   */
  void gruGates(float[] gi, int giOff, float[] gh, float[] h, int rows, int hidden);
}
