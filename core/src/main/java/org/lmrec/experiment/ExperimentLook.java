package org.lmrec.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One look at a running experiment: each treatment arm's always-valid test takes one more step on
 * the arms' primary-metric moments, its new point joins the timeline, and the whole becomes an
 * {@link ExperimentReport}. The sample ratio check counts users (the unit the assignment
 * randomises), not exposures, whose count heavy users would skew. Plain Java: the streaming
 * operator keeps the tallies, test states and timelines in state and calls this at each look.
 */
public final class ExperimentLook {
  /** Points kept per treatment timeline; beyond it, every other older point is dropped (the chart keeps its shape). */
  public static final int MAX_TIMELINE_POINTS = 2_000;

  /**
   * @param newPoints one per treatment arm, the point this look added
   * @param tests every treatment's test state after this look, to keep
   * @param timelines every treatment's timeline including the new point, within {@link #MAX_TIMELINE_POINTS}
   */
  public record Result(ExperimentReport report, Map<String, ExperimentReport.TimelinePoint> newPoints, Map<String, MixtureSequentialTest.State> tests,
      Map<String, List<ExperimentReport.TimelinePoint>> timelines) {}

  private ExperimentLook() {}

  /**
   * @param tallies by arm name; arms without outcomes may be missing; arms not in the experiment are ignored
   * @param tests by treatment arm; a missing one starts fresh with {@code alpha} and {@code tau}
   * @param timelines by treatment arm, in time order
   */
  public static Result look(Experiment experiment, long asOfMillis, double alpha, double tau, Map<String, ArmTally> tallies,
      Map<String, MixtureSequentialTest.State> tests, Map<String, List<ExperimentReport.TimelinePoint>> timelines) {
    List<ExperimentReport.ArmSummary> arms = new ArrayList<>();
    long[] users = new long[experiment.arms().size()];
    int[] weights = new int[users.length];
    Map<String, ArmTally> byArm = new HashMap<>();
    for (int i = 0; i < users.length; i++) {
      Arm a = experiment.arms().get(i);
      ArmTally t = tallies.getOrDefault(a.name(), new ArmTally(a.name()));
      byArm.put(a.name(), t);
      users[i] = t.users();
      weights[i] = a.weight();
      RunningMoments m = t.metric(experiment.metric());
      arms.add(new ExperimentReport.ArmSummary(a.name(), t.exposures(), m.count(), m.mean(), m.variance(), t.guardrails()));
    }
    RunningMoments control = byArm.get(experiment.control().name()).metric(experiment.metric());
    Map<String, ExperimentReport.TimelinePoint> newPoints = new LinkedHashMap<>();
    Map<String, MixtureSequentialTest.State> newTests = new LinkedHashMap<>();
    Map<String, List<ExperimentReport.TimelinePoint>> newTimelines = new LinkedHashMap<>();
    List<ExperimentReport.Timeline> reportTimelines = new ArrayList<>();
    for (Arm treatment : experiment.treatments()) {
      MixtureSequentialTest.State stored = tests.get(treatment.name());
      MixtureSequentialTest test = stored == null ? new MixtureSequentialTest(alpha, tau) : MixtureSequentialTest.restore(stored);
      MixtureSequentialTest.Look look = test.update(control, byArm.get(treatment.name()).metric(experiment.metric()));
      ExperimentReport.TimelinePoint point = ExperimentReport.TimelinePoint.of(asOfMillis, look);
      List<ExperimentReport.TimelinePoint> line = new ArrayList<>(timelines.getOrDefault(treatment.name(), List.of()));
      line.add(point);
      line = bounded(line);
      newPoints.put(treatment.name(), point);
      newTests.put(treatment.name(), test.state());
      newTimelines.put(treatment.name(), line);
      reportTimelines.add(new ExperimentReport.Timeline(treatment.name(), line));
    }
    ExperimentReport report = new ExperimentReport(experiment, asOfMillis, alpha, arms, SampleRatioMismatch.test(users, weights), "users", reportTimelines);
    return new Result(report, newPoints, newTests, newTimelines);
  }

  /** The timeline itself while within {@link #MAX_TIMELINE_POINTS}; else every other point, keeping the newest. */
  static List<ExperimentReport.TimelinePoint> bounded(List<ExperimentReport.TimelinePoint> points) {
    if (points.size() <= MAX_TIMELINE_POINTS) return points;
    List<ExperimentReport.TimelinePoint> kept = new ArrayList<>();
    int last = points.size() - 1;
    for (int i = last; i >= 0; i -= 2) kept.add(0, points.get(i));
    return kept;
  }
}
