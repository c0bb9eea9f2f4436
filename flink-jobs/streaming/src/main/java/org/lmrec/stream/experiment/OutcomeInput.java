package org.lmrec.stream.experiment;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.lmrec.schema.Recommendation;

/**
 * One record of the outcome join's single input ({@link ExposureOutcomes}): a step (an accepted
 * interaction of a user in an experiment), an exposure (a recommendation served inside an
 * experiment), or both at once, an answered interaction: the step that triggered the exposure
 * travels with it, so the join reads and writes the user's state once for the pair instead of
 * twice (on RocksDB that state access was most of what an experiment costs the scorer's task).
 * The scorer emits them on one side output ({@code ScoringOperator.OUTCOME_INPUTS}), which stays
 * partitioned by user, so the join runs chained in the scorer's thread: no network
 * hop, no second serialization of each recommendation. Immutable once made; its serializer's
 * copy hands the same instance on.
 */
@TypeInfo(OutcomeInputTypeInfo.Factory.class)
public final class OutcomeInput {
  private final Recommendation exposure;
  private final String userId;
  private final String eventId;
  private final String itemId;
  private final long eventTime;

  private OutcomeInput(Recommendation exposure, String userId, String eventId, String itemId, long eventTime) {
    this.exposure = exposure;
    this.userId = userId;
    this.eventId = eventId;
    this.itemId = itemId;
    this.eventTime = eventTime;
  }

  /** An exposure: the recommendation as the scorer emitted it (it is not modified afterwards). */
  public static OutcomeInput exposure(Recommendation r) {
    return new OutcomeInput(r, r.getUserId(), null, null, 0);
  }

  /**
   * An answered interaction: the step of the interaction that triggered {@code r} (its event id is
   * the recommendation's triggering event), with {@code itemId} at {@code eventTime}, and the exposure.
   */
  public static OutcomeInput answered(Recommendation r, String itemId, long eventTime) {
    return new OutcomeInput(r, r.getUserId(), r.getTriggeringEventId(), itemId, eventTime);
  }

  /** A step: the user's interaction {@code eventId} with {@code itemId} at {@code eventTime}. */
  public static OutcomeInput step(String userId, String eventId, String itemId, long eventTime) {
    return new OutcomeInput(null, userId, eventId, itemId, eventTime);
  }

  /** Whether it carries an exposure (alone or with its step). */
  public boolean isExposure() {
    return exposure != null;
  }

  /** Whether it carries a step (alone or with the exposure it triggered). */
  public boolean hasStep() {
    return eventId != null;
  }

  /** The exposure; null for a step alone. */
  public Recommendation exposureRecord() {
    return exposure;
  }

  /** The key of the join: the user. */
  public String userId() {
    return userId;
  }

  public String eventId() {
    return eventId;
  }

  public String itemId() {
    return itemId;
  }

  public long eventTime() {
    return eventTime;
  }

  @Override
  public String toString() {
    String step = "step " + userId + "/" + eventId + " item " + itemId + " at " + eventTime;
    if (!isExposure()) return step;
    return hasStep() ? step + " and exposure " + exposure : "exposure " + exposure;
  }
}
