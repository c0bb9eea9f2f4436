package org.lmrec.stream.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lmrec.experiment.Arm;
import org.lmrec.experiment.ExperimentReport;
import org.lmrec.schema.ArmComparison;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.ExperimentResult;

/** An {@link ExperimentReport} as the Avro record of the results topic, and timeline points to and from state. */
public final class ExperimentResults {
  private ExperimentResults() {}

  public static ExperimentResult of(ExperimentReport r) {
    List<ArmResult> arms = new ArrayList<>();
    for (int i = 0; i < r.arms().size(); i++) {
      ExperimentReport.ArmSummary s = r.arms().get(i);
      Arm a = r.experiment().arms().get(i);
      ExperimentReport.Guardrails g = s.guardrails();
      arms.add(ArmResult.newBuilder()
          .setName(s.name())
          .setWeight(a.weight())
          .setModel(a.model().toString())
          .setUsers(g == null ? 0 : g.users())
          .setExposures(s.exposures())
          .setMean(s.outcomes() == 0 ? null : s.mean())
          .setVariance(finiteOrNull(s.variance()))
          .setHitRate(g == null ? null : finiteOrNull(g.hitRate()))
          .setMeanReciprocalRank(g == null ? null : finiteOrNull(g.meanReciprocalRank()))
          .setEmptyLists(g == null ? 0 : g.emptyLists())
          .setMeanLatencyMillis(g == null ? null : finiteOrNull(g.meanLatencyMillis()))
          .setMaxLatencyMillis(g == null || g.maxLatencyMillis() < 0 ? null : g.maxLatencyMillis())
          .setDistinctItemsShown(g == null ? 0 : g.distinctItemsShown())
          .build());
    }
    List<ArmComparison> comparisons = new ArrayList<>();
    for (ExperimentReport.Timeline t : r.timelines()) {
      if (!t.points().isEmpty()) comparisons.add(comparison(t.treatmentArm(), t.points().get(t.points().size() - 1), r.alpha()));
    }
    return ExperimentResult.newBuilder()
        .setExperimentId(r.experiment().id())
        .setExperimentVersion(r.experiment().version())
        .setMetric(r.experiment().metric())
        .setAsOf(Instant.ofEpochMilli(r.asOfMillis()))
        .setAlpha(r.alpha())
        .setControl(r.experiment().control().name())
        .setArms(arms)
        .setSrmUnit(r.srmUnit())
        .setSrmChiSquare(r.srm().chiSquare())
        .setSrmPValue(r.srm().pValue())
        .setSrmAlarm(r.srm().alarm())
        .setComparisons(comparisons)
        .build();
  }

  public static ArmComparison comparison(String treatment, ExperimentReport.TimelinePoint p, double alpha) {
    return ArmComparison.newBuilder()
        .setTreatment(treatment)
        .setTime(Instant.ofEpochMilli(p.timeMillis()))
        .setDifference(finiteOrNull(p.difference()))
        .setLower(finiteOrNull(p.lower()))
        .setUpper(finiteOrNull(p.upper()))
        .setAlwaysValidP(p.alwaysValidP())
        .setSignificant(p.alwaysValidP() < alpha)
        .build();
  }

  /** Back from state: a missing bound is the infinite one of a look that decided nothing yet. */
  public static ExperimentReport.TimelinePoint point(ArmComparison c) {
    return new ExperimentReport.TimelinePoint(c.getTime().toEpochMilli(), c.getDifference() == null ? Double.NaN : c.getDifference(),
        c.getLower() == null ? Double.NEGATIVE_INFINITY : c.getLower(), c.getUpper() == null ? Double.POSITIVE_INFINITY : c.getUpper(), c.getAlwaysValidP());
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
