package org.lmrec.stream.scoring;

/** Which model(s) the {@link ScoringOperator} scores a request with. */
public enum ModelRouting {
  /**
   * The live job: the last announced model that passed its checks serves every request, from the
   * moment its pointer reaches the operator.
   */
  LATEST_ANNOUNCED,
  /**
   * Replay as served: every pointer is read before any request, and each request is scored by the
   * model with the latest announcement time at or before the request's event time. Reading the
   * pointers first and choosing by event time is the look-ahead guard: in BATCH mode the order in
   * which the two inputs arrive says nothing about time, so a model announced after an event can
   * never score it. Requests older than every announcement get an empty list.
   */
  AS_SERVED,
  /** Replay side by side: every pointer is read first, and every model scores every request. */
  SIDE_BY_SIDE;

  /** Whether the operator must have read all pointers before it reads any request. */
  boolean readsPointersFirst() {
    return this != LATEST_ANNOUNCED;
  }
}
