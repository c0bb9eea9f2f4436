package org.lmrec.model;

import java.util.Locale;

/** The sequential-recommendation backbones. Names are stable: they appear in artifacts and on topics. */
public enum ModelKind {
  SASREC,
  GRU4REC;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind parse(String s) {
    for (ModelKind k : values()) {
      if (k.id().equalsIgnoreCase(s.strip())) return k;
    }
    throw new IllegalArgumentException("unknown model kind '" + s + "'; expected one of sasrec, gru4rec");
  }
}
