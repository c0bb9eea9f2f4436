package org.lmrec.stream.scoring;

import org.lmrec.schema.DeadLetter;

/** What the model-update source emits for one record: a pointer, or a dead letter. */
public class ModelAnnouncement {
  public ModelPointer pointer;
  public DeadLetter deadLetter;

  public ModelAnnouncement() {}
}
