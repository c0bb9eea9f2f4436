package org.lmrec.enhance.p2rec;

/** The reconstruction loss between the head's softmax output and g_u. */
public enum SftLoss {
  /** Mean squared error over the K categories (the paper's choice). */
  MSE,
  /** KL(g_u || prediction), computed as the cross-entropy (same gradient). */
  KL;

  public static SftLoss parse(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "mse" -> MSE;
      case "kl" -> KL;
      default -> throw new IllegalArgumentException("unknown SFT loss '" + s + "': use mse or kl");
    };
  }
}
