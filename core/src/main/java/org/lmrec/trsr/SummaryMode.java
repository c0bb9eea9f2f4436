package org.lmrec.trsr;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.lmrec.summary.SummaryStrategy;

/** Which preference summary the ranker's prompt carries: one of the two strategies, or none (recent items only, the ablation). */
public enum SummaryMode {
  HIERARCHICAL("hierarchical", SummaryStrategy.HIERARCHICAL),
  RECURRENT("recurrent", SummaryStrategy.RECURRENT),
  NONE("none", null);

  private final String id;
  private final SummaryStrategy strategy;

  SummaryMode(String id, SummaryStrategy strategy) {
    this.id = id;
    this.strategy = strategy;
  }

  @JsonValue
  public String id() {
    return id;
  }

  /** The strategy, or null for {@link #NONE}. */
  public SummaryStrategy strategy() {
    return strategy;
  }

  @JsonCreator
  public static SummaryMode parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    for (SummaryMode m : values()) if (m.id.equals(v)) return m;
    throw new IllegalArgumentException("unknown summary strategy '" + s + "': use hierarchical, recurrent or none");
  }
}
