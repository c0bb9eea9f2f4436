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
    sb.append(results(r.testFull(), r.testSampled(), r.config().seed()));
    return sb.toString();
  }

  /** LLM-TRSR's ranker beside the SRS under both protocols, and what it cost. */
  static String trsr(org.lmrec.enhance.trsr.LlmTrsrRanker.Result r, String srs) {
    java.util.Map<String, Double> m = r.metrics();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("LLM-TRSR ranker (summary %s), %d test users:%n", r.spec().summary().id(), r.test().users()));
    for (String who : new String[] {"ranker", srs}) {
      StringBuilder line = new StringBuilder(String.format("  1 + N sampled, %-8s", who));
      m.forEach((k, v) -> {
        if (k.startsWith("trsr/test/sampled") && k.contains("/" + who + "/")) line.append(' ').append(k.substring(k.lastIndexOf('/') + 1)).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", v));
      });
      sb.append(line).append('\n');
    }
    for (String who : new String[] {"ranker", srs}) {
      StringBuilder line = new StringBuilder(String.format("  top-N re-ranked, %-8s", who));
      m.forEach((k, v) -> {
        if (k.startsWith("trsr/test/rerank") && k.contains("/" + who + "/")) line.append(' ').append(k.substring(k.lastIndexOf('/') + 1)).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", v));
      });
      sb.append(line).append('\n');
    }
    sb.append(String.format(java.util.Locale.ROOT, "  timings: summaries %.2f ms/user, SFT %.1f s/epoch over %d users, ranking %.2f ms/candidate%n",
        m.getOrDefault("trsr/timing/summary-ms-per-user", Double.NaN), r.sft().meanEpochSeconds(), r.sft().users(), r.test().msPerCandidate()));
    return sb.toString();
  }

  static String results(org.lmrec.train.ServedModelTest.Result r) {
    return results(r.full(), r.sampled(), r.sampledSeed());
  }

  /** Both protocols; the sampled line names the seed of its negatives, without which it cannot be repeated. */
  static String results(EvaluationResult full, EvaluationResult sampled, long sampledSeed) {
    return "test, full ranking:               " + full.format() + "\n"
        + String.format("test, 1 + 100 sampled (seed %d): ", sampledSeed) + sampled.format() + "\n";
  }
}
