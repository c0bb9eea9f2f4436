package org.lmrec.stream.ingest;

import org.lmrec.flink.deadletter.Checked;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.schema.DeadLetter;

/**
 * What the interactions source emits for one Kafka record: exactly one of a valid interaction or a
 * dead letter. {@link org.lmrec.flink.deadletter.SplitDeadLetters} splits the two. A Flink POJO of
 * its own (rather than a generic carrier) because the watermark strategy reads its event time in
 * the source.
 */
public class Ingested implements Checked<Interaction> {
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

  @Override
  public Interaction value() {
    return interaction;
  }

  @Override
  public DeadLetter deadLetter() {
    return deadLetter;
  }

  /** Event time for watermarks; rejected records carry none, so they never move the watermark. */
  public long eventTimeOrMin() {
    return interaction == null ? Long.MIN_VALUE : interaction.eventTime;
  }
}
