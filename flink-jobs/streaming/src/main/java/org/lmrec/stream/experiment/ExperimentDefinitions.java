package org.lmrec.stream.experiment;

import org.lmrec.flink.deadletter.LogSafe;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentConfigException;
import org.lmrec.experiment.ExperimentJson;
import org.lmrec.experiment.ExperimentSet;

/**
 * The experiments an operator knows: kept as id → JSON in its broadcast state (what savepoints
 * hold) and parsed into an {@link ExperimentSet} on first use after a (re)start. A removed
 * experiment leaves {@code removed/<id>} → its last version there, so that after a restart an
 * older definition redelivered by the compacted topic does not bring it back. Every operator
 * that reads the experiments topic applies updates through this, so they accept and refuse alike.
 * One per operator instance (not serializable, not thread-safe).
 */
public final class ExperimentDefinitions {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExperimentDefinitions.class);
  /** Key prefix of removal records; experiment ids cannot contain '/', so no id collides with it. */
  static final String REMOVED = "removed/";

  private final ExperimentLimits limits;
  private ExperimentSet parsed;

  public ExperimentDefinitions() {
    this(ExperimentLimits.DEFAULTS);
  }

  public ExperimentDefinitions(ExperimentLimits limits) {
    this.limits = limits;
  }

  /** The known experiments, rebuilt from {@code stored} after a restart (accepted before, so accepted again). */
  public ExperimentSet known(ReadOnlyBroadcastState<String, String> stored) throws Exception {
    if (parsed == null) {
      parsed = new ExperimentSet(limits.maxExperiments());
      for (Map.Entry<String, String> entry : stored.immutableEntries()) {
        if (entry.getKey().startsWith(REMOVED)) {
          parsed.rememberRemoved(entry.getKey().substring(REMOVED.length()), Integer.parseInt(entry.getValue()));
        } else {
          restore(entry.getKey(), entry.getValue());
        }
      }
    }
    return parsed;
  }

  /**
   * Accepted before, so accepted again, unless this version's checks are stricter than those of the
   * version that stored it: then it is skipped with a warning. Throwing here would fail every
   * record after every restart, since the state comes back with the job.
   */
  private void restore(String id, String json) {
    try {
      parsed.apply(ExperimentJson.parse(json), Long.MIN_VALUE); // as of before any start: no refusal
    } catch (RuntimeException e) {
      LOG.warn("experiment '{}' in broadcast state no longer passes the checks and is ignored: {}", LogSafe.text(id), LogSafe.text(e.getMessage(), 4096));
    }
  }

  /**
   * Applies one record of the experiments topic: a definition, or a tombstone (null JSON).
   *
   * @param nowMillis decides whether the known definition has started (changes to a running one are refused)
   * @return null when applied, ignored as stale or a no-op record; otherwise why it was refused
   */
  public String apply(ExperimentUpdate u, BroadcastState<String, String> stored, long nowMillis) throws Exception {
    if (u.isNothing()) return null;
    ExperimentSet set = known(stored);
    if (u.id == null) return "experiment record without a key (the key must be the experiment id)";
    if (u.json == null) { // tombstone
      set.applyTombstone(u.id);
      stored.remove(u.id);
      set.removedVersion(u.id).ifPresent(v -> putRemoved(stored, u.id, v));
      return null;
    }
    if (u.json.length() > limits.maxDefinitionChars()) {
      return "definition of " + u.json.length() + " characters exceeds the limit of " + limits.maxDefinitionChars()
          + " (lmrec.experiments.max-definition-chars)";
    }
    Experiment e;
    try {
      e = ExperimentJson.parse(u.json);
    } catch (ExperimentConfigException ex) {
      return ex.getMessage();
    }
    if (!e.id().equals(u.id)) return "record key '" + u.id + "' is not the experiment id '" + e.id() + "'";
    ExperimentSet.Change c = set.apply(e, nowMillis);
    if (c.accepted()) {
      stored.put(e.id(), u.json);
      stored.remove(REMOVED + e.id());
    }
    return c.outcome() == ExperimentSet.Change.Outcome.REFUSED ? c.reason() : null;
  }

  private static void putRemoved(BroadcastState<String, String> stored, String id, int version) {
    try {
      stored.put(REMOVED + id, Integer.toString(version));
    } catch (Exception e) {
      throw new IllegalStateException("cannot record the removal of experiment '" + id + "' in broadcast state", e);
    }
  }
}
