package org.lmrec.retrainjob.schedule;

/**
 * One retraining run (read the archive, train, gate, publish), seen from the scheduler: it knows
 * only why the run was started and how it ended, so the scheduling, locking and monitoring here
 * stay independent of the training code.
 */
@FunctionalInterface
public interface RetrainTask {
  /** Trigger of a run started because the schedule interval elapsed. */
  String INTERVAL = "interval";
  /** Trigger of a run started because enough new interactions were archived. */
  String NEW_INTERACTIONS = "new-interactions";
  /** Trigger of a run requested by a person (HTTP {@code POST /trigger} or the command line). */
  String MANUAL = "manual";
  /** Trigger of the run the scheduler starts right away when asked to run at start. */
  String START = "start";

  /**
   * Runs one retraining to its end. The caller holds the {@link RetrainLock}, so no other run
   * is going on, in this process or another.
   *
   * @param trigger why the run was started: {@link #INTERVAL}, {@link #NEW_INTERACTIONS},
   *     {@link #MANUAL} or {@link #START}
   * @return how the run ended (published, refused, skipped, ...)
   * @throws Exception when the run failed; the scheduler logs it, counts it and retries later
   */
  RunReport run(String trigger) throws Exception;
}
