/**
 * When and how retraining runs, apart from what a run does: the {@link
 * org.lmrec.retrain.schedule.RetrainScheduler} (interval, new-interaction threshold, manual
 * trigger), the {@link org.lmrec.retrain.schedule.RetrainRunner} every entry point goes through
 * (the cross-process {@link org.lmrec.retrain.schedule.RetrainLock}, the archive bookkeeping of
 * {@link org.lmrec.retrain.schedule.NewInteractionCounter}, the
 * {@link org.lmrec.retrain.schedule.RetrainMetrics}) and the HTTP endpoint for Prometheus and
 * manual triggers. The run itself is a {@link org.lmrec.retrain.schedule.RetrainTask}.
 */
package org.lmrec.retrain.schedule;
