package org.lmrec.model;

import java.util.Locale;

/**
 * The trainable map from a frozen external item table to the model dimension, applied to every
 * item lookup. {@code hiddenWidth == 0} is a single linear layer; otherwise two linear layers
 * (LLMEmb's RAT, METHODS.md §2) with an optional activation between them.
 */
public record ItemAdapter(int hiddenWidth, Activation activation) {
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

  public ItemAdapter {
    if (hiddenWidth < 0) throw new IllegalArgumentException("adapter hidden width must not be negative, got " + hiddenWidth);
    if (activation == null) throw new IllegalArgumentException("adapter activation must be given (NONE for none)");
    if (hiddenWidth == 0 && activation != Activation.NONE) {
      throw new IllegalArgumentException("a single-layer adapter has no activation slot: set a hidden width");
    }
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

  public boolean twoLayers() {
    return hiddenWidth > 0;
  }
}
