package org.lmrec.model;

import java.util.Locale;

/**
 * The trainable map from a frozen external item table to the model dimension, applied to every
 * item lookup. {@code hiddenWidth == 0} is a single linear layer; otherwise two linear layers
 * (LLMEmb's RAT, METHODS.md §2) with an optional activation between them.
 *
 * <p>{@code residual} adds a trainable per-item table beside the adapter's output, starting at
 * zero ({@code item_adapter.residual}, {@code [numItems + 1, dim]}): a variant of the paper, not its
 * form. Without it every item embedding is a linear image of its frozen text row, so differences
 * in behaviour the text does not show cannot be learnt; with it training starts from the text and
 * may move each item as an ID table would.
 *
 * <p>{@code residualL2} (λ, lmrec's variant, 0 by default) adds {@code λ · Σ (residual − its start)²}
 * over the whole residual table to the training loss (the start is zero unless one is given), so a row moves away from its start only where the
 * next-item loss pays for it: rarely seen (tail) items then lean on the adapter's text part.
 */
public record ItemAdapter(int hiddenWidth, Activation activation, boolean residual, float residualL2) {
  public enum Activation {
    NONE, RELU, GELU, TANH;

    public static Activation parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown adapter activation '" + s + "': use none, relu, gelu or tanh");
      }
    }
  }

  /** Without the residual table (the paper's form). */
  public ItemAdapter(int hiddenWidth, Activation activation) {
    this(hiddenWidth, activation, false);
  }

  /** No L2 term on the residual. */
  public ItemAdapter(int hiddenWidth, Activation activation, boolean residual) {
    this(hiddenWidth, activation, residual, 0f);
  }

  public ItemAdapter {
    if (hiddenWidth < 0) throw new IllegalArgumentException("adapter hidden width must not be negative, got " + hiddenWidth);
    if (activation == null) throw new IllegalArgumentException("adapter activation must be given (NONE for none)");
    if (hiddenWidth == 0 && activation != Activation.NONE) {
      throw new IllegalArgumentException("a single-layer adapter has no activation slot: set a hidden width");
    }
    if (!(residualL2 >= 0) || Float.isInfinite(residualL2)) {
      throw new IllegalArgumentException("residual L2 weight must be finite and not negative, got " + residualL2);
    }
    if (residualL2 > 0 && !residual) throw new IllegalArgumentException("a residual L2 weight needs the residual table");
  }

  /** One linear layer (P2Rec's adapter mode). */
  public static ItemAdapter linear() {
    return new ItemAdapter(0, Activation.NONE);
  }

  /** Two linear layers; LLMEmb's reference uses half the input width and no activation. */
  public static ItemAdapter twoLayer(int hiddenWidth, Activation activation) {
    if (hiddenWidth < 1) throw new IllegalArgumentException("a two-layer adapter needs a positive hidden width");
    return new ItemAdapter(hiddenWidth, activation);
  }

  /** The same adapter with or without the residual table. */
  public ItemAdapter withResidual(boolean on) {
    return new ItemAdapter(hiddenWidth, activation, on, on ? residualL2 : 0f);
  }

  /** The same adapter with the L2 weight λ on its residual table (which it must have when λ > 0). */
  public ItemAdapter withResidualL2(float lambda) {
    return new ItemAdapter(hiddenWidth, activation, residual, lambda);
  }

  public boolean twoLayers() {
    return hiddenWidth > 0;
  }
}
