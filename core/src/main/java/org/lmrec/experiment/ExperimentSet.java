package org.lmrec.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The experiments currently known, keyed by id, as read from a compacted topic (or a file).
 *
 * <p><b>Changes.</b> {@link #apply(Experiment, long)} accepts a definition only if its version is
 * newer than the known one (an older or equal version is a redelivery and is ignored). Once an
 * experiment has started, only its stop time may change: anything else (salt, arm names, order or
 * weights, population, start, metric, an arm's model) would silently move users between arms or
 * change what the collected data means, so it is refused and the known definition stays in
 * force. To change those, start a new experiment (new id, new salt). A refused definition does not
 * advance the known version, so a corrected definition needs only a higher version than the last
 * accepted one.
 *
 * <p><b>Layering.</b> A user is in at most one experiment at a time: among the experiments active
 * at the event's time, in id order, the first whose population includes the user gets them. Each
 * population is drawn from its own salt, so later experiments lose a random (unbiased) slice of
 * their population to earlier ones; give overlapping experiments traffic fractions that leave room.
 * When an experiment with a smaller id starts, it takes its users away from later ones from then
 * on, which those experiments' reports see as fewer exposures, not as a biased split.
 *
 * <p>Keeps an {@link ArmAssigner}, so it is NOT thread-safe: one instance per operator instance.
 */
public final class ExperimentSet {
  /**
   * What {@link #apply} did.
   *
   * @param reason why, for logs: what changed, or why it was refused or ignored
   */
  public record Change(Outcome outcome, String experimentId, int version, String reason) {
    public enum Outcome {
      ACCEPTED_NEW,
      ACCEPTED_UPDATE,
      IGNORED_STALE,
      REFUSED
    }

    public boolean accepted() {
      return outcome == Outcome.ACCEPTED_NEW || outcome == Outcome.ACCEPTED_UPDATE;
    }
  }

  private final TreeMap<String, Experiment> byId = new TreeMap<>();
  // Versions of removed experiments, so a stale redelivery after a tombstone does not resurrect one.
  private final Map<String, Integer> removedVersions = new HashMap<>();
  private final ArmAssigner assigner = new ArmAssigner();
  private final int maxExperiments;
  private long latestMillis = Long.MIN_VALUE;

  /** A set without a cap on the number of experiments (files, replay: the operator wrote them). */
  public ExperimentSet() {
    this(Integer.MAX_VALUE);
  }

  /**
   * @param maxExperiments how many experiments may be known at once; a new one beyond it is refused,
   *     so whoever writes the experiments topic cannot grow every operator's memory without bound
   */
  public ExperimentSet(int maxExperiments) {
    if (maxExperiments <= 0) throw new IllegalArgumentException("maxExperiments must be positive, got " + maxExperiments);
    this.maxExperiments = maxExperiments;
  }

  /** {@link #apply(Experiment, long)} at the wall clock's now. */
  public Change apply(Experiment next) {
    return apply(next, System.currentTimeMillis());
  }

  /**
   * @param nowMillis the caller's clock (processing time or the watermark): decides whether the
   *     known definition has started, so whether changes are still free
   */
  public Change apply(Experiment next, long nowMillis) {
    Objects.requireNonNull(next, "next experiment");
    advanceTo(nowMillis);
    Experiment known = byId.get(next.id());
    if (known == null) {
      Integer removed = removedVersions.get(next.id());
      if (removed != null && next.version() <= removed) {
        return new Change(Change.Outcome.IGNORED_STALE, next.id(), next.version(), "version " + next.version() + " <= version " + removed + ", which was removed");
      }
      if (byId.size() >= maxExperiments) {
        return new Change(Change.Outcome.REFUSED, next.id(), next.version(), byId.size()
            + " experiments are known already, the cap; remove a finished one (a tombstone on the topic) first");
      }
      removedVersions.remove(next.id());
      byId.put(next.id(), next);
      return new Change(Change.Outcome.ACCEPTED_NEW, next.id(), next.version(), "new experiment, starts " + next.start());
    }
    if (next.version() <= known.version()) {
      String differs = next.equals(known) ? "" : " (and differs from it: was a version number reused?)";
      return new Change(Change.Outcome.IGNORED_STALE, next.id(), next.version(), "version " + next.version() + " <= known version " + known.version() + differs);
    }
    if (!known.hasStartedAt(nowMillis)) {
      byId.put(next.id(), next);
      return new Change(Change.Outcome.ACCEPTED_UPDATE, next.id(), next.version(), "not started yet, any change allowed: " + describeChanges(known, next));
    }
    List<String> refusals = refusals(known, next, nowMillis);
    if (!refusals.isEmpty()) {
      return new Change(Change.Outcome.REFUSED, next.id(), next.version(),
          "experiment started at " + known.start() + ", version " + known.version() + " stays in force: " + String.join("; ", refusals));
    }
    byId.put(next.id(), next);
    return new Change(Change.Outcome.ACCEPTED_UPDATE, next.id(), next.version(), describeChanges(known, next));
  }

  private static List<String> refusals(Experiment known, Experiment next, long nowMillis) {
    List<String> r = new ArrayList<>();
    String newExperiment = " (start a new experiment with a new id and salt instead)";
    if (!known.salt().equals(next.salt())) r.add("salt changed, which would reshuffle every user" + newExperiment);
    if (!known.start().equals(next.start())) r.add("start moved from " + known.start() + " to " + next.start() + newExperiment);
    List<String> knownNames = known.arms().stream().map(Arm::name).toList();
    List<String> nextNames = next.arms().stream().map(Arm::name).toList();
    if (!knownNames.equals(nextNames)) {
      r.add("arms changed from " + knownNames + " to " + nextNames + ", which would move users between arms" + newExperiment);
    } else {
      List<Integer> knownWeights = known.arms().stream().map(Arm::weight).toList();
      List<Integer> nextWeights = next.arms().stream().map(Arm::weight).toList();
      if (!knownWeights.equals(nextWeights)) {
        r.add("weights changed from " + knownWeights + " to " + nextWeights + ", which would move users between arms" + newExperiment);
      }
      for (int i = 0; i < known.arms().size(); i++) {
        ModelRef a = known.arms().get(i).model();
        ModelRef b = next.arms().get(i).model();
        if (!a.equals(b)) {
          r.add("arm '" + knownNames.get(i) + "' model changed from " + a + " to " + b + ": its data so far is for the old model" + newExperiment);
        }
      }
    }
    if (!known.population().equals(next.population())) {
      r.add("population changed from " + known.population() + " to " + next.population() + ", which would add or drop users" + newExperiment);
    }
    if (!known.metric().equals(next.metric())) r.add("metric changed from '" + known.metric() + "' to '" + next.metric() + "'" + newExperiment);
    if (!Objects.equals(known.stop(), next.stop()) && next.stop() != null && next.stop().toEpochMilli() < nowMillis) {
      r.add("stop " + next.stop() + " is before now " + Instant.ofEpochMilli(nowMillis) + " (to stop now, set stop to now)");
    }
    return r;
  }

  private static String describeChanges(Experiment known, Experiment next) {
    List<String> d = new ArrayList<>();
    d.add("version " + known.version() + " -> " + next.version());
    if (!Objects.equals(known.stop(), next.stop())) d.add("stop " + (known.stop() == null ? "open" : known.stop()) + " -> " + (next.stop() == null ? "open" : next.stop()));
    if (!known.salt().equals(next.salt())) d.add("salt changed");
    if (!known.start().equals(next.start())) d.add("start " + known.start() + " -> " + next.start());
    if (!known.arms().equals(next.arms())) d.add("arms changed");
    if (!known.population().equals(next.population())) d.add("population changed");
    if (!known.metric().equals(next.metric())) d.add("metric changed");
    return String.join(", ", d);
  }

  /**
   * Removes the experiment (a tombstone on the compacted topic).
   *
   * @return whether it was known
   */
  public boolean applyTombstone(String id) {
    Experiment removed = byId.remove(id);
    if (removed != null) removedVersions.put(id, removed.version());
    return removed != null;
  }

  /** The version an experiment had when a tombstone removed it; empty when it is not removed. */
  public java.util.OptionalInt removedVersion(String id) {
    Integer v = removedVersions.get(id);
    return v == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(v);
  }

  /**
   * Restores the memory of a removal (from operator state after a restart), so that a redelivered
   * older version of a removed experiment is still recognised as stale.
   */
  public void rememberRemoved(String id, int version) {
    if (!byId.containsKey(id)) removedVersions.merge(id, version, Math::max);
  }

  /**
   * The user's experiment and arm for an event at {@code eventTimeMillis}; empty when no active
   * experiment's population includes them (they get the default model). See the layering rule above.
   */
  public Optional<Assignment> assign(String userId, long eventTimeMillis) {
    advanceTo(eventTimeMillis);
    for (Experiment e : byId.values()) {
      if (!e.isActiveAt(eventTimeMillis)) continue;
      Optional<String> arm = assigner.arm(e, userId);
      if (arm.isPresent()) return Optional.of(new Assignment(e.id(), e.version(), arm.get(), modelOf(e, arm.get())));
    }
    return Optional.empty();
  }

  private static ModelRef modelOf(Experiment e, String arm) {
    for (Arm a : e.arms()) if (a.name().equals(arm)) return a.model();
    throw new IllegalStateException("experiment " + e.id() + " has no arm '" + arm + "'");
  }

  /**
   * The models of every arm of every experiment not stopped at the latest time this set has seen
   * (the largest {@code nowMillis} given to {@code apply} or event time given to {@code assign}),
   * including experiments not started yet, so the scorer can load them before they are needed.
   */
  public Set<ModelRef> modelsNeeded() {
    return modelsNeeded(latestMillis);
  }

  /** The models of every arm of every experiment not stopped at {@code nowMillis}; in id, then arm order. */
  public Set<ModelRef> modelsNeeded(long nowMillis) {
    Set<ModelRef> models = new LinkedHashSet<>();
    for (Experiment e : byId.values()) {
      if (e.hasStoppedAt(nowMillis)) continue;
      for (Arm a : e.arms()) models.add(a.model());
    }
    return Collections.unmodifiableSet(models);
  }

  public Optional<Experiment> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** In id order. */
  public Collection<Experiment> experiments() {
    return Collections.unmodifiableCollection(byId.values());
  }

  public int size() {
    return byId.size();
  }

  private void advanceTo(long millis) {
    if (millis > latestMillis) latestMillis = millis;
  }
}
