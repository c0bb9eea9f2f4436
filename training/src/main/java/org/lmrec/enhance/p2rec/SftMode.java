package org.lmrec.enhance.p2rec;

/** How the LM reads a user during P2Rec's user-level fine-tuning. */
public enum SftMode {
  /** The user's item texts joined in order, cut to a token budget from the most recent end (P2Rec). */
  USER_LEVEL,
  /** Each of the user's most recent items encoded alone, pooled outputs averaged: scales to long histories. */
  ITEM_WISE;

  public static SftMode parse(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
      case "user", "user-level" -> USER_LEVEL;
      case "item", "item-wise" -> ITEM_WISE;
      default -> throw new IllegalArgumentException("unknown SFT mode '" + s + "': use user-level or item-wise");
    };
  }
}
