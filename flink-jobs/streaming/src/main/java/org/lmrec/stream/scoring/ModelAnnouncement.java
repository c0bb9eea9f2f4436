package org.lmrec.stream.scoring;

import org.lmrec.flink.deadletter.Checked;
import org.lmrec.schema.DeadLetter;

/**
 * What the model-update source emits for one record: a pointer, or a dead letter.
 * {@link org.lmrec.flink.deadletter.SplitDeadLetters} splits the two.
 */
public class ModelAnnouncement implements Checked<ModelPointer> {
  public ModelPointer pointer;
  public DeadLetter deadLetter;

  public ModelAnnouncement() {}

  @Override
  public ModelPointer value() {
    return pointer;
  }

  @Override
  public DeadLetter deadLetter() {
    return deadLetter;
  }
}
