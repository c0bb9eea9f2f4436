package org.lmrec.stream.experiment;

import java.io.Serializable;

/**
 * What the experiments topic may cost each operator that reads it: definitions are kept on the
 * heap of every subtask (broadcast state), so their number and size are capped. Whoever can write
 * the topic can then refuse new experiments to others (until one is removed), not exhaust memory.
 *
 * @param maxExperiments experiments known at once (defined and not removed); a new one beyond is refused
 * @param maxDefinitionChars characters of one definition's JSON; a longer one is refused
 */
public record ExperimentLimits(int maxExperiments, int maxDefinitionChars) implements Serializable {
  /** Far above any real experiment programme, far below what would strain a subtask's heap. */
  public static final ExperimentLimits DEFAULTS = new ExperimentLimits(256, 64 * 1024);

  public ExperimentLimits {
    if (maxExperiments <= 0 || maxDefinitionChars <= 0) {
      throw new IllegalArgumentException("experiment limits must be positive, got " + maxExperiments + " experiments, " + maxDefinitionChars + " chars");
    }
  }
}
