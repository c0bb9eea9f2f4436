package org.lmrec.cli;

import org.lmrec.data.Dataset;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.train.TrainingPipeline;

/** Human-readable result blocks shared by the commands. */
final class Reports {
  private Reports() {}

  static String summary(Dataset dataset, TrainingPipeline.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(dataset.summary()).append('\n');
    sb.append(String.format(
        "%s, loss %s, d=%d, best epoch %d of %d, %.1f s to best, %.2f s/epoch%n",
        r.config().kind().id(), r.config().loss(), r.config().dim(), r.report().bestEpoch(), r.report().epochs().size(),
        r.report().secondsToBest(), r.report().meanEpochSeconds()));
    sb.append(results(r.testFull(), r.testSampled()));
    return sb.toString();
  }

  static String results(EvaluationResult full, EvaluationResult sampled) {
    return "test, full ranking:        " + full.format() + "\n" + "test, 1 + 100 sampled:     " + sampled.format() + "\n";
  }
}
