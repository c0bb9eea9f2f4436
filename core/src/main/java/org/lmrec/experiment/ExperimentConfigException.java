package org.lmrec.experiment;

/**
 * An experiment definition that cannot be used: malformed JSON, a missing or mistyped field, or a
 * value outside its range. Names the experiment (when its id is known) and the field, e.g.
 * {@code experiment 'rank-v2': arms[1].weight must be positive, got -3}.
 */
public final class ExperimentConfigException extends IllegalArgumentException {
  private final String experimentId;
  private final String field;
  private final String problem;

  /**
   * @param experimentId null when not (yet) known
   * @param field the field's path, e.g. {@code arms[1].weight}; null for the whole document
   * @param problem what is wrong, e.g. {@code must be positive, got -3}
   */
  public ExperimentConfigException(String experimentId, String field, String problem) {
    this(experimentId, field, problem, null);
  }

  public ExperimentConfigException(String experimentId, String field, String problem, Throwable cause) {
    super(message(experimentId, field, problem), cause);
    this.experimentId = experimentId;
    this.field = field;
    this.problem = problem;
  }

  private static String message(String experimentId, String field, String problem) {
    String who = experimentId == null ? "experiment config" : "experiment '" + experimentId + "'";
    return who + ": " + (field == null ? "" : field + " ") + problem;
  }

  /** Null when the id was missing or not yet read. */
  public String experimentId() {
    return experimentId;
  }

  /** Null when the problem is with the whole document. */
  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }

  /**
   * The same problem seen from an enclosing object: {@code weight} inside {@code arms[1]} of
   * experiment {@code rank-v2} becomes {@code arms[1].weight} of {@code rank-v2}.
   */
  public ExperimentConfigException within(String experimentId, String fieldPrefix) {
    String id = this.experimentId != null ? this.experimentId : experimentId;
    String path = fieldPrefix == null ? field : field == null ? fieldPrefix : fieldPrefix + "." + field;
    return new ExperimentConfigException(id, path, problem, this);
  }
}
