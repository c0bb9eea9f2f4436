package org.lmrec.stream.experiment;

import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.lmrec.schema.ExperimentOutcome;

/**
 * Runs {@link ExposureOutcomes} as a keyed process function would, and gives it what its
 * write-behind cache needs: the operator's key context, and a flush of the cache into the keyed
 * state before every snapshot (the keyed state backend is snapshotted after the operator's own
 * {@link #snapshotState}). Its timers and state keep the names a plain process operator gives
 * them, so savepoints of versions that ran the function in one restore here.
 */
public final class ExposureOutcomesOperator extends KeyedProcessOperator<String, OutcomeInput, ExperimentOutcome> {
  private static final long serialVersionUID = 1L;
  private final ExposureOutcomes outcomes;

  public ExposureOutcomesOperator(ExposureOutcomes outcomes) {
    super(outcomes);
    this.outcomes = outcomes;
  }

  @Override
  public void open() throws Exception {
    outcomes.useKeys(this);
    super.open();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    outcomes.flush();
    super.snapshotState(context);
  }
}
