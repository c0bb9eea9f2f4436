/**
 * When and how retraining runs, apart from what a run does: the {@link
 * org.lmrec.retrainjob.schedule.RetrainScheduler} (interval, new-interaction threshold, manual
 * trigger), the {@link org.lmrec.retrainjob.schedule.RetrainRunner} every entry point goes through
 * (the cross-process {@link org.lmrec.retrainjob.schedule.RetrainLock}, the archive bookkeeping of
 * {@link org.lmrec.retrainjob.schedule.NewInteractionCounter}, the
 * {@link org.lmrec.retrainjob.schedule.RetrainMetrics}) and the HTTP endpoint for Prometheus and
 * manual triggers. The run itself is a {@link org.lmrec.retrainjob.schedule.RetrainTask}.
 */
package org.lmrec.retrainjob.schedule;
