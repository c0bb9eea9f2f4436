package org.lmrec.stream.ingest;

import org.lmrec.schema.DeadLetter;

/** What the source emits for one Kafka record: exactly one of a valid interaction or a dead letter. */
public class Ingested {
  public Interaction interaction;
  public DeadLetter deadLetter;

  public Ingested() {}

  public static Ingested valid(Interaction interaction) {
    Ingested r = new Ingested();
    r.interaction = interaction;
    return r;
  }

  public static Ingested rejected(DeadLetter deadLetter) {
    Ingested r = new Ingested();
    r.deadLetter = deadLetter;
    return r;
  }

  /** Event time for watermarks; rejected records carry none, so they never move the watermark. */
  public long eventTimeOrMin() {
    return interaction == null ? Long.MIN_VALUE : interaction.eventTime;
  }
}
