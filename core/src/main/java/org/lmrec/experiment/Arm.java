package org.lmrec.experiment;

/**
 * One variant of an experiment.
 *
 * @param weight relative share of the experiment's traffic (50/50, 1/1 and 10/10 are the same split)
 */
public record Arm(String name, int weight, ModelRef model) {
  public Arm {
    if (name == null || name.isBlank()) throw new ExperimentConfigException(null, "name", "must be a non-blank name, got " + ModelRef.quoted(name));
    if (weight <= 0) throw new ExperimentConfigException(null, "weight", "must be a positive integer, got " + weight);
    if (model == null) throw new ExperimentConfigException(null, "model", "is missing");
  }
}
