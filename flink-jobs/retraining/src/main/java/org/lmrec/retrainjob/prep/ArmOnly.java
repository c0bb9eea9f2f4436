package org.lmrec.retrainjob.prep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.lmrec.experiment.ArmAssigner;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentJson;

/**
 * Train on one experiment arm's traffic only. When arms share training data, a better arm's users
 * also shape the control's next model (and the other way round), which shrinks the measured
 * difference; retraining each arm's model from its own arm's users keeps the arms apart. Users are
 * matched by the same deterministic assignment the streaming job uses (salt + user id + population
 * filter), so no arm field is needed in the archive. Serializable for the Flink job: the
 * definition travels as its JSON text.
 */
public final class ArmOnly implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String experimentJson;
  private final String arm;
  private transient Experiment experiment;
  private transient ArmAssigner assigner;

  public ArmOnly(Experiment experiment, String arm) {
    Objects.requireNonNull(experiment, "experiment");
    if (experiment.arms().stream().noneMatch(a -> a.name().equals(arm))) {
      throw new IllegalArgumentException("experiment '" + experiment.id() + "' has no arm '" + arm + "'; its arms: "
          + experiment.arms().stream().map(a -> a.name()).toList());
    }
    this.experimentJson = ExperimentJson.write(experiment);
    this.arm = arm;
  }

  /** The experiment {@code id} from a file holding one definition or a JSON array of them. */
  public static ArmOnly fromFile(Path file, String experimentId, String arm) {
    for (Experiment e : ExperimentJson.load(file)) {
      if (e.id().equals(experimentId)) return new ArmOnly(e, arm);
    }
    throw new IllegalArgumentException("no experiment '" + experimentId + "' in " + file);
  }

  public String arm() {
    return arm;
  }

  public String experimentId() {
    return experiment().id();
  }

  /** Whether the user is in the experiment's population and assigned to this arm. */
  public boolean includes(String userId) {
    if (assigner == null) assigner = new ArmAssigner();
    return assigner.arm(experiment(), userId).map(arm::equals).orElse(false);
  }

  private Experiment experiment() {
    if (experiment == null) experiment = ExperimentJson.parse(experimentJson);
    return experiment;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArmOnly a && a.experimentJson.equals(experimentJson) && a.arm.equals(arm);
  }

  @Override
  public int hashCode() {
    return Objects.hash(experimentJson, arm);
  }

  @Override
  public String toString() {
    return "arm '" + arm + "' of experiment '" + experimentId() + "'";
  }
}
