package org.lmrec.retrain;

/**
 * Publishes a candidate only if its held-out NDCG@10 is not worse than the serving model's on the
 * same slice by more than a relative margin: {@code candidate >= serving * (1 - margin)}. With no
 * serving model there is nothing to protect, and the candidate passes.
 */
public record QualityGate(double margin) {
  public QualityGate {
    if (!(margin >= 0 && margin < 1)) throw new IllegalArgumentException("gate margin must be in [0, 1), got " + margin);
  }

  /**
   * @param passed whether to publish
   * @param serving the serving model's score on the slice; null when nothing is serving
   */
  public record Decision(boolean passed, SliceEvaluation.Score candidate, SliceEvaluation.Score serving, String servingVersion, double margin, String reason) {}

  public Decision decide(SliceEvaluation.Score candidate, SliceEvaluation.Score serving, String servingVersion) {
    if (serving == null) {
      return new Decision(true, candidate, null, null, margin, "no model is serving yet");
    }
    double floor = serving.ndcg10() * (1 - margin);
    boolean passed = candidate.ndcg10() >= floor;
    String reason = String.format("candidate NDCG@10 %.5f %s %.5f (serving %s: %.5f, margin %.1f%%) on %,d held-out cases",
        candidate.ndcg10(), passed ? ">=" : "<", floor, servingVersion, serving.ndcg10(), margin * 100, candidate.cases());
    return new Decision(passed, candidate, serving, servingVersion, margin, reason);
  }
}
