package org.lmrec.model;

import java.util.Locale;

/** Training objective for next-item prediction at every position of a sequence. */
public enum LossType {
  /** Binary cross-entropy with one sampled negative per position (the original SASRec). */
  BCE,
  /** Full softmax cross-entropy over the whole catalogue (RecBole's default; usually stronger). */
  CE;

  public static LossType parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss '" + s + "'; expected bce or ce");
    }
  }
}
