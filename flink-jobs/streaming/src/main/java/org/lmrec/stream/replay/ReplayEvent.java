package org.lmrec.stream.replay;

import org.lmrec.flink.interaction.Interaction;

/**
 * One event of the replayed log after {@link ReplayOrder}: the interaction, its position in the
 * user's ordered sequence (0 = first) and the item the user interacted with next (null for the
 * user's last event). A Flink POJO.
 */
public class ReplayEvent {
  public Interaction interaction;
  public long ordinal;
  public String nextItemId;

  public ReplayEvent() {}

  public ReplayEvent(Interaction interaction, long ordinal, String nextItemId) {
    this.interaction = interaction;
    this.ordinal = ordinal;
    this.nextItemId = nextItemId;
  }
}
