package org.lmrec.experiment;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One A/B experiment: which users it enrols, how it splits them between arms, and when it runs.
 *
 * @param id a stable name; also the report's file name, so letters, digits, '.', '_' and '-' only
 * @param version 1 and up; the writer bumps it on every change, so a redelivered older definition
 *     is recognised as stale
 * @param salt mixed into every hash: the same user gets independent arms in experiments with
 *     different salts, and changing it reshuffles everyone
 * @param arms at least two, unique names; the first arm is the control
 * @param stop exclusive; null while the experiment is open-ended
 * @param population null means {@link PopulationFilter#everyone()}
 * @param metric the primary metric, one of {@link #METRICS}; null means {@value #DEFAULT_METRIC}
 */
public record Experiment(String id, int version, String salt, List<Arm> arms, Instant start, Instant stop, PopulationFilter population, String metric) {
  /** Did the user interact with a recommended item within the horizon. */
  public static final String DEFAULT_METRIC = "hit";
  /** The reciprocal rank of the user's next interaction in the list shown (0 when not shown). */
  public static final String RECIPROCAL_RANK = "reciprocalRank";
  /** The primary metrics an experiment can compare its arms on (see {@link OutcomeHorizon}). */
  public static final List<String> METRICS = List.of(DEFAULT_METRIC, RECIPROCAL_RANK);

  /**
   * Most arms an experiment may have. Each arm's statistics are looked at every interval and the
   * scorer loads at most a few extra models, so an experiment of hundreds of arms could never be
   * measured; it is refused instead.
   */
  public static final int MAX_ARMS = 16;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public Experiment {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ExperimentConfigException(null, "id", "must be letters, digits, '.', '_' or '-' (starting with a letter or digit), got " + ModelRef.quoted(id));
    }
    if (version < 1) throw new ExperimentConfigException(id, "version", "must be >= 1, got " + version);
    if (salt == null || salt.isEmpty()) throw new ExperimentConfigException(id, "salt", "must be a non-empty string, got " + ModelRef.quoted(salt));
    if (arms == null || arms.size() < 2) {
      throw new ExperimentConfigException(id, "arms", "needs at least 2 arms (the first is the control), got " + (arms == null ? 0 : arms.size()));
    }
    if (arms.size() > MAX_ARMS) throw new ExperimentConfigException(id, "arms", "has " + arms.size() + " arms, more than the " + MAX_ARMS + " allowed");
    for (int i = 0; i < arms.size(); i++) {
      if (arms.get(i) == null) throw new ExperimentConfigException(id, "arms[" + i + "]", "is null");
    }
    arms = List.copyOf(arms);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < arms.size(); i++) {
      Integer first = seen.putIfAbsent(arms.get(i).name(), i);
      if (first != null) throw new ExperimentConfigException(id, "arms[" + i + "].name", "'" + arms.get(i).name() + "' repeats arms[" + first + "].name");
    }
    int[] ends = ArmAssigner.rangeEnds(arms);
    for (int i = 0; i < arms.size(); i++) {
      if (ends[i] == (i == 0 ? 0 : ends[i - 1])) {
        throw new ExperimentConfigException(id, "arms[" + i + "].weight", arms.get(i).weight() + " is too small to get any traffic: each arm needs at least 1/"
            + ArmAssigner.BUCKETS + " of the total weight");
      }
    }
    if (start == null) throw new ExperimentConfigException(id, "start", "is missing");
    requireInRange(id, "start", start);
    if (stop != null) requireInRange(id, "stop", stop);
    if (stop != null && !stop.isAfter(start)) throw new ExperimentConfigException(id, "stop", "must be after start " + start + ", got " + stop);
    if (population == null) population = PopulationFilter.everyone();
    if (metric == null) metric = DEFAULT_METRIC;
    if (!METRICS.contains(metric)) throw new ExperimentConfigException(id, "metric", "must be one of " + METRICS + ", got '" + metric + "'");
  }

  /**
   * The instants an experiment may name: from the Unix epoch to the end of year 9999. Everything
   * in between converts to epoch milliseconds; a far-future stop such as year +300000000 parses as
   * an {@link Instant} but overflowed {@code toEpochMilli} on every later interaction.
   */
  public static final Instant EARLIEST = Instant.EPOCH;
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private static void requireInRange(String id, String field, Instant t) {
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new ExperimentConfigException(id, field, "must lie between " + EARLIEST + " and " + LATEST + ", got " + t);
    }
  }

  public Arm control() {
    return arms.get(0);
  }

  /** The arms after the control. */
  public List<Arm> treatments() {
    return arms.subList(1, arms.size());
  }

  /** {@code start <= t < stop}. */
  public boolean isActiveAt(long epochMillis) {
    return hasStartedAt(epochMillis) && !hasStoppedAt(epochMillis);
  }

  public boolean hasStartedAt(long epochMillis) {
    return start.toEpochMilli() <= epochMillis;
  }

  public boolean hasStoppedAt(long epochMillis) {
    return stop != null && stop.toEpochMilli() <= epochMillis;
  }

  public Experiment withVersion(int newVersion) {
    return new Experiment(id, newVersion, salt, arms, start, stop, population, metric);
  }

  public Experiment withStop(Instant newStop) {
    return new Experiment(id, version, salt, arms, start, newStop, population, metric);
  }
}
