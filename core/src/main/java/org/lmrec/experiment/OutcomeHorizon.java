package org.lmrec.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.lmrec.eval.RankingMetrics;

/**
 * What an exposure led to: the user's interactions after the recommendation was served, within a
 * horizon of the next {@code maxEvents} interactions and {@code maxTime} of event time, judged
 * against the list shown. Plain Java, so the live job's outcome operator and a replay share it.
 *
 * <ul>
 *   <li><b>hit</b>: the user interacted with a shown item within the horizon;
 *   <li><b>reciprocal rank</b>: of the user's very next interaction in the shown list
 *       ({@link RankingMetrics#reciprocalRank}, 0 when not shown), the offline metric's definition.
 * </ul>
 *
 * "After" is by (event time, event id), the order the replay and the retraining use, so an
 * interaction at the trigger's own millisecond is ordered by id rather than lost or double-counted.
 */
public final class OutcomeHorizon {
  /** A recommendation served inside an experiment: what was shown, to whom, after which event. */
  public record Exposure(
      String experimentId, String arm, String modelVersion, String userId, String triggeringEventId, long triggerTime, List<String> shown) {
    public Exposure {
      Objects.requireNonNull(experimentId, "experimentId");
      Objects.requireNonNull(triggeringEventId, "triggeringEventId");
      shown = List.copyOf(shown);
    }
  }

  /** One interaction of the user. */
  public record Step(String eventId, String itemId, long time) {}

  /**
   * @param eventsSeen interactions inside the horizon (0: the user did nothing more in time)
   * @param emptyList the exposure showed nothing (a guardrail: counted, and never a hit)
   */
  public record Outcome(Exposure exposure, boolean hit, double reciprocalRank, int eventsSeen, boolean emptyList) {
    public double hitValue() {
      return hit ? 1.0 : 0.0;
    }
  }

  static final Comparator<Step> ORDER = Comparator.comparingLong(Step::time).thenComparing(Step::eventId);

  private final int maxEvents;
  private final long maxMillis;

  public OutcomeHorizon(int maxEvents, Duration maxTime) {
    if (maxEvents < 1) throw new IllegalArgumentException("the horizon must cover at least 1 event, got " + maxEvents);
    if (maxTime.isNegative() || maxTime.isZero()) throw new IllegalArgumentException("the horizon's time must be positive, got " + maxTime);
    this.maxEvents = maxEvents;
    this.maxMillis = maxTime.toMillis();
  }

  public int maxEvents() {
    return maxEvents;
  }

  /** When the horizon's time runs out: after this event time nothing more can count. */
  public long closesAt(Exposure e) {
    return closesAt(e.triggerTime());
  }

  /** When the horizon of an exposure triggered at {@code triggerTime} runs out. */
  public long closesAt(long triggerTime) {
    return triggerTime + maxMillis;
  }

  /** The user's steps after the exposure's trigger and inside the horizon, in order. */
  public List<Step> inside(Exposure e, List<Step> steps) {
    Step trigger = new Step(e.triggeringEventId(), null, e.triggerTime());
    List<Step> after = new ArrayList<>();
    for (Step s : steps) {
      if (ORDER.compare(s, trigger) > 0 && s.time() <= closesAt(e)) after.add(s);
    }
    after.sort(ORDER);
    return after.size() > maxEvents ? after.subList(0, maxEvents) : after;
  }

  /** Whether more steps can no longer change the outcome: the horizon's events are all in, or its time has passed. */
  public boolean isClosed(Exposure e, List<Step> steps, long eventTimeNow) {
    return inside(e, steps).size() >= maxEvents || eventTimeNow > closesAt(e);
  }

  /** The outcome from the steps seen so far (final once {@link #isClosed}). */
  public Outcome outcome(Exposure e, List<Step> steps) {
    List<Step> in = inside(e, steps);
    boolean hit = false;
    for (Step s : in) hit |= e.shown().contains(s.itemId());
    double rr = 0;
    if (!in.isEmpty() && !e.shown().isEmpty()) {
      int rank = e.shown().indexOf(in.get(0).itemId());
      if (rank >= 0) rr = RankingMetrics.reciprocalRank(rank, e.shown().size());
    }
    return new Outcome(e, hit, rr, in.size(), e.shown().isEmpty());
  }
}
