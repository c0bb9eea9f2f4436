package org.lmrec.model;

import org.hipparchus.special.Erf;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * The item adapter in plain Java: folds a frozen external table through trained adapter weights
 * ({@code item_adapter.*}, as {@link SequentialModel#exportItemAdapter()} gives them) into the
 * {@code [numItems + 1, dim]} table serving reads. Lets an artifact's fold be checked, and a
 * refreshed external table be folded without the training engine.
 */
public final class ItemAdapterFold {
  /** The residual table's name among the adapter weights ({@link ItemAdapter#residual()}). */
  public static final String RESIDUAL = "item_adapter.residual";

  private ItemAdapterFold() {}

  /** @return the folded table, row 0 (padding) zero */
  public static Tensor fold(Tensor external, TensorMap adapterWeights, ItemAdapter adapter) {
    int rows = external.dim(0);
    float[] x;
    int width;
    if (adapter.twoLayers()) {
      Tensor w0 = adapterWeights.get("item_adapter.0.weight");
      x = linear(external.data(), rows, external.dim(1), w0, adapterWeights.get("item_adapter.0.bias"));
      for (int i = 0; i < x.length; i++) x[i] = activate(x[i], adapter.activation());
      Tensor w1 = adapterWeights.get("item_adapter.1.weight");
      x = linear(x, rows, w0.dim(1), w1, adapterWeights.get("item_adapter.1.bias"));
      width = w1.dim(1);
    } else {
      Tensor w = adapterWeights.get("item_adapter.weight");
      x = linear(external.data(), rows, external.dim(1), w, adapterWeights.get("item_adapter.bias"));
      width = w.dim(1);
    }
    if (adapter.residual()) addResidual(x, rows, width, adapterWeights.get(RESIDUAL));
    java.util.Arrays.fill(x, 0, width, 0f);
    return new Tensor(x, rows, width);
  }

  private static void addResidual(float[] x, int rows, int width, Tensor residual) {
    if (residual == null) throw new IllegalArgumentException("the adapter has a residual table but the weights hold no " + RESIDUAL);
    if (residual.dim(0) != rows || residual.dim(1) != width) {
      throw new IllegalArgumentException("residual table " + residual + " does not match the folded table [" + rows + ", " + width + "]");
    }
    float[] r = residual.data();
    for (int i = 0; i < x.length; i++) x[i] += r[i];
  }

  private static float[] linear(float[] x, int rows, int in, Tensor w, Tensor b) {
    if (w.dim(0) != in) throw new IllegalArgumentException("adapter weight " + w + " does not take inputs of width " + in);
    int out = w.dim(1);
    float[] wd = w.data();
    float[] y = new float[rows * out];
    for (int r = 0; r < rows; r++) {
      double[] acc = new double[out];
      for (int o = 0; o < out; o++) acc[o] = b.data()[o];
      for (int i = 0; i < in; i++) {
        double xi = x[r * in + i];
        if (xi == 0) continue;
        for (int o = 0; o < out; o++) acc[o] += xi * wd[i * out + o];
      }
      for (int o = 0; o < out; o++) y[r * out + o] = (float) acc[o];
    }
    return y;
  }

  private static float activate(float v, ItemAdapter.Activation a) {
    return switch (a) {
      case NONE -> v;
      case RELU -> Math.max(0f, v);
      case GELU -> (float) (0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)))); // PyTorch's exact (erf) form
      case TANH -> (float) Math.tanh(v);
    };
  }
}
