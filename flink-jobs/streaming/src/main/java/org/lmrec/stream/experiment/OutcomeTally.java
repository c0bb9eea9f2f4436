package org.lmrec.stream.experiment;

import java.util.Arrays;
import java.util.Collection;
import org.lmrec.experiment.ArmTally;
import org.lmrec.experiment.OutcomeHorizon;
import org.lmrec.experiment.RunningMoments;
import org.lmrec.schema.ExperimentOutcome;

/**
 * One subtask's tally of an experiment arm's outcomes that fall before the same look: what {@link
 * OutcomeTallies} sends to {@link ExperimentStatistics} instead of each outcome. A Flink POJO (no
 * Kryo); it lives only between the two operators, never in state or on a topic.
 */
public final class OutcomeTally {
  public String experimentId;
  /** The look (event time, a multiple of the look interval) these outcomes are due at. */
  public long lookTime;
  public String arm;
  public long users;
  public long exposures;
  public long hitCount;
  public double hitMean;
  public double hitM2;
  public long rankCount;
  public double rankMean;
  public double rankM2;
  public long emptyLists;
  public long latencyCount;
  public double latencyMean;
  public double latencyM2;
  /** -1 while no outcome measured its latency. */
  public long maxLatencyMillis = -1;
  /** The items these outcomes showed, each once (the statistics count the arm's distinct items). */
  public String[] shownItems = new String[0];

  public OutcomeTally() {}

  OutcomeTally(String experimentId, long lookTime, ArmTally.Snapshot t, Collection<String> shown) {
    this.experimentId = experimentId;
    this.lookTime = lookTime;
    this.arm = t.arm();
    this.users = t.users();
    this.exposures = t.exposures();
    this.hitCount = t.hits().count();
    this.hitMean = t.hits().mean();
    this.hitM2 = t.hits().m2();
    this.rankCount = t.reciprocalRanks().count();
    this.rankMean = t.reciprocalRanks().mean();
    this.rankM2 = t.reciprocalRanks().m2();
    this.emptyLists = t.emptyLists();
    this.latencyCount = t.latency().count();
    this.latencyMean = t.latency().mean();
    this.latencyM2 = t.latency().m2();
    this.maxLatencyMillis = t.maxLatencyMillis();
    this.shownItems = shown.toArray(new String[0]);
  }

  /** A tally of one outcome: what the statistics received per outcome before the pre-aggregation. */
  public static OutcomeTally of(ExperimentOutcome o, long lookTime) {
    ArmTally t = new ArmTally(o.getExperimentArm()).add(coreOutcome(o), o.getFirstExposureOfUser(), o.getLatencyMillis(), 0);
    return new OutcomeTally(o.getExperimentId(), lookTime, t.snapshot(), new java.util.LinkedHashSet<>(o.getShownItems()));
  }

  /** The tally without its items shown (distinct items are the statistics' to count). */
  public ArmTally.Snapshot snapshot() {
    return new ArmTally.Snapshot(arm, users, exposures, new RunningMoments.Snapshot(hitCount, hitMean, hitM2),
        new RunningMoments.Snapshot(rankCount, rankMean, rankM2), emptyLists, new RunningMoments.Snapshot(latencyCount, latencyMean, latencyM2),
        maxLatencyMillis, 0);
  }

  static OutcomeHorizon.Outcome coreOutcome(ExperimentOutcome o) {
    OutcomeHorizon.Exposure e = new OutcomeHorizon.Exposure(o.getExperimentId(), o.getExperimentArm(), o.getModelVersion(), o.getUserId(),
        o.getTriggeringEventId(), o.getTriggerTime().toEpochMilli(), o.getShownItems());
    return new OutcomeHorizon.Outcome(e, o.getHit(), o.getReciprocalRank(), o.getEventsSeen(), o.getEmptyList());
  }

  @Override
  public String toString() {
    return "OutcomeTally[" + experimentId + "/" + arm + " @" + lookTime + ", exposures=" + exposures + ", users=" + users + ", shown="
        + Arrays.toString(shownItems) + "]";
  }
}
