package org.lmrec.stream.scoring;

/** A user's window after an accepted interaction, waiting for its micro-batch. A Flink POJO. */
public class ScoringRequest {
  public String userId;
  public String eventId;
  public long eventTime;
  /** When the triggering record reached the job (epoch ms): latency is measured from here. */
  public long receivedAt;
  /** The triggering interaction's item (an outcome step for the user's earlier exposures). */
  public String itemId;
  /** External item ids, oldest first, the triggering item last (unless it arrived late); null for a step only. */
  public String[] history;
  /**
   * Not to be scored: an interaction of a type the job does not score, from a user in an
   * experiment; the scorer only hands it to the outcome join as a step.
   */
  public boolean stepOnly;
  /** The user's experiment and arm when assigned to one, else null (the default model serves). */
  public String experimentId;
  public String arm;
  /** The arm's model: a line (its latest version serves) or a pinned version; one of them set with an experiment. */
  public String modelLine;
  public String modelVersion;

  public ScoringRequest() {}

  public ScoringRequest(String userId, String eventId, long eventTime, long receivedAt, String[] history) {
    this.userId = userId;
    this.eventId = eventId;
    this.eventTime = eventTime;
    this.receivedAt = receivedAt;
    this.history = history;
  }

  /** A step only: the user's unscored interaction, for the outcome join of {@code experimentId}. */
  public static ScoringRequest stepOnly(String userId, String eventId, String itemId, long eventTime, long receivedAt, String experimentId) {
    ScoringRequest r = new ScoringRequest(userId, eventId, eventTime, receivedAt, null);
    r.itemId = itemId;
    r.stepOnly = true;
    r.experimentId = experimentId;
    return r;
  }

  /** Whether the user is in an experiment: the triggering interaction is an outcome step. */
  public boolean inExperiment() {
    return experimentId != null;
  }

  /** Assigns the request to an experiment arm served by {@code modelLine} or {@code modelVersion}. */
  public ScoringRequest inArm(String experimentId, String arm, String modelLine, String modelVersion) {
    this.experimentId = experimentId;
    this.arm = arm;
    this.modelLine = modelLine;
    this.modelVersion = modelVersion;
    return this;
  }
}
