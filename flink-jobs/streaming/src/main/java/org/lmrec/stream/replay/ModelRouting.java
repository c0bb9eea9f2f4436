package org.lmrec.stream.replay;

/**
 * Which model(s) the replay's scorer ({@link ReplayScoringOperator}) scores a request with. Both read
 * every pointer before any request. (The live job's scorer serves the last announced model that
 * passed its checks, per line and experiment arm: {@code org.lmrec.stream.scoring.ScoringOperator}.)
 */
public enum ModelRouting {
  /**
   * Replay as served: every pointer is read before any request, and each request is scored by the
   * model with the latest announcement time at or before the request's event time. Reading the
   * pointers first and choosing by event time is the look-ahead guard: in BATCH mode the order in
   * which the two inputs arrive says nothing about time, so a model announced after an event can
   * never score it. Requests older than every announcement get an empty list.
   */
  AS_SERVED,
  /** Replay side by side: every pointer is read first, and every model scores every request. */
  SIDE_BY_SIDE
}
