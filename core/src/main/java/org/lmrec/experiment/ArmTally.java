package org.lmrec.experiment;

/**
 * One arm's closed outcomes so far: users, exposures, the moments of both outcome metrics and the
 * guardrails (empty lists, serving latency, distinct items shown). Mutable and plain; a streaming
 * operator keeps its {@link #snapshot()} in state and continues from {@link #of}.
 */
public final class ArmTally {
  /**
   * @param maxLatencyMillis -1 while no exposure measured its latency
   */
  public record Snapshot(String arm, long users, long exposures, RunningMoments.Snapshot hits, RunningMoments.Snapshot reciprocalRanks, long emptyLists,
      RunningMoments.Snapshot latency, long maxLatencyMillis, long distinctItemsShown) {}

  private final String arm;
  private long users;
  private long exposures;
  private final RunningMoments hits;
  private final RunningMoments reciprocalRanks;
  private long emptyLists;
  private final RunningMoments latency;
  private long maxLatencyMillis = -1;
  private long distinctItemsShown;

  public ArmTally(String arm) {
    this.arm = arm;
    this.hits = new RunningMoments();
    this.reciprocalRanks = new RunningMoments();
    this.latency = new RunningMoments();
  }

  private ArmTally(Snapshot s) {
    this.arm = s.arm();
    this.users = s.users();
    this.exposures = s.exposures();
    this.hits = RunningMoments.of(s.hits());
    this.reciprocalRanks = RunningMoments.of(s.reciprocalRanks());
    this.emptyLists = s.emptyLists();
    this.latency = RunningMoments.of(s.latency());
    this.maxLatencyMillis = s.maxLatencyMillis();
    this.distinctItemsShown = s.distinctItemsShown();
  }

  public static ArmTally of(Snapshot s) {
    return new ArmTally(s);
  }

  /**
   * Counts one closed exposure.
   *
   * @param firstOfUser the user's first exposure in the experiment (counted once per user)
   * @param latencyMillis the exposure's serving latency, null when not measured
   * @param newlyShownItems items in this list the arm had never shown before
   */
  public ArmTally add(OutcomeHorizon.Outcome outcome, boolean firstOfUser, Long latencyMillis, int newlyShownItems) {
    if (newlyShownItems < 0) throw new IllegalArgumentException("newlyShownItems must be >= 0, got " + newlyShownItems);
    if (firstOfUser) users++;
    exposures++;
    hits.add(outcome.hitValue());
    reciprocalRanks.add(outcome.reciprocalRank());
    if (outcome.emptyList()) emptyLists++;
    if (latencyMillis != null) {
      latency.add(latencyMillis);
      maxLatencyMillis = Math.max(maxLatencyMillis, latencyMillis);
    }
    distinctItemsShown += newlyShownItems;
    return this;
  }

  /**
   * Adds another tally of the same arm (a subtask's partial), as if its outcomes had been added
   * here one by one. Distinct items are not additive across partials, so the caller counts them.
   *
   * @param newlyShownItems items in {@code other}'s lists the arm had never shown before
   */
  public ArmTally merge(Snapshot other, long newlyShownItems) {
    if (!arm.equals(other.arm())) throw new IllegalArgumentException("cannot merge arm '" + other.arm() + "' into '" + arm + "'");
    if (newlyShownItems < 0) throw new IllegalArgumentException("newlyShownItems must be >= 0, got " + newlyShownItems);
    users += other.users();
    exposures += other.exposures();
    hits.merge(RunningMoments.of(other.hits()));
    reciprocalRanks.merge(RunningMoments.of(other.reciprocalRanks()));
    emptyLists += other.emptyLists();
    latency.merge(RunningMoments.of(other.latency()));
    maxLatencyMillis = Math.max(maxLatencyMillis, other.maxLatencyMillis());
    distinctItemsShown += newlyShownItems;
    return this;
  }

  public String arm() {
    return arm;
  }

  public long users() {
    return users;
  }

  public long exposures() {
    return exposures;
  }

  /** The moments of a primary metric, one of {@link Experiment#METRICS}. */
  public RunningMoments metric(String name) {
    return switch (name) {
      case Experiment.DEFAULT_METRIC -> hits;
      case Experiment.RECIPROCAL_RANK -> reciprocalRanks;
      default -> throw new IllegalArgumentException("unknown metric '" + name + "', expected one of " + Experiment.METRICS);
    };
  }

  public ExperimentReport.Guardrails guardrails() {
    return new ExperimentReport.Guardrails(users, exposures == 0 ? Double.NaN : hits.mean(), exposures == 0 ? Double.NaN : reciprocalRanks.mean(),
        emptyLists, latency.count() == 0 ? Double.NaN : latency.mean(), maxLatencyMillis, distinctItemsShown);
  }

  public Snapshot snapshot() {
    return new Snapshot(arm, users, exposures, hits.snapshot(), reciprocalRanks.snapshot(), emptyLists, latency.snapshot(), maxLatencyMillis, distinctItemsShown);
  }
}
