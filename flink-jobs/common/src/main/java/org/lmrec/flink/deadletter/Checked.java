package org.lmrec.flink.deadletter;

import org.lmrec.schema.DeadLetter;

/**
 * What a source emits for one record it has checked: exactly one of an accepted value or the
 * {@link DeadLetter} that says why the record was refused. {@link SplitDeadLetters} routes the one
 * to the main output and the other to a side output; it is the job's only valid-or-dead-letter
 * split. Implemented by the sources' Flink POJOs ({@code Ingested} for interactions,
 * {@code ModelAnnouncement} for model updates), which keep their own field names.
 *
 * @param <T> the accepted value's type
 */
public interface Checked<T> {
  /** The accepted value; null when the record was refused. */
  T value();

  /** Why the record was refused, as a dead letter; null when it was accepted. */
  DeadLetter deadLetter();
}
