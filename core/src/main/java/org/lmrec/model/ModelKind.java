package org.lmrec.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sequential-recommendation backbones. Names are stable: they appear in artifacts and on topics.
 * Each value has one {@link Backbone} registered in {@link Backbones}; nothing else switches on it.
 */
public enum ModelKind {
  SASREC,
  GRU4REC;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What implements this kind: defaults, serving encoder, FLOP count (registered in {@link Backbones}). */
  public Backbone backbone() {
    return Backbones.of(this);
  }

  public static ModelKind parse(String s) {
    for (ModelKind k : values()) {
      if (k.id().equalsIgnoreCase(s.strip())) return k;
    }
    throw new IllegalArgumentException("unknown model kind '" + s + "'; expected one of "
        + Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", ")));
  }
}
