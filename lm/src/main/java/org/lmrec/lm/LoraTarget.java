package org.lmrec.lm;

/** The attention projections of a BERT layer that can carry a LoRA adapter. */
public enum LoraTarget {
  QUERY(Projection.QUERY),
  KEY(Projection.KEY),
  VALUE(Projection.VALUE),
  /** The dense layer after attention ({@code attention.output.dense}). */
  ATTENTION_OUTPUT(Projection.ATTENTION_OUTPUT);

  private final Projection projection;

  LoraTarget(Projection projection) {
    this.projection = projection;
  }

  public Projection projection() {
    return projection;
  }

  /** Lower-case name used in tensor names ({@code query}, {@code attention_output}, ...). */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The target whose {@link #key()} is {@code key}; a clear error otherwise. */
  public static LoraTarget ofKey(String key) {
    for (LoraTarget t : values()) if (t.key().equals(key)) return t;
    throw new IllegalArgumentException("unknown LoRA target '" + key + "' (expected one of query, key, value, attention_output)");
  }
}
