/**
 * The retraining job's Flink shell: the archive's data preparation as a bounded BATCH job, the
 * scheduler, the command line and the model-update announcer. Model stages are calls into
 * {@code lmrec-core}'s {@code org.lmrec.retrain}.
 */
package org.lmrec.retrainjob;
