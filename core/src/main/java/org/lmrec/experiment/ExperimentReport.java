package org.lmrec.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lmrec.report.LineChart;

/**
 * An experiment's results as of one moment: per-arm exposures and primary-metric moments, the
 * sample ratio mismatch check, and per treatment arm the timeline of always-valid looks against the
 * control. Written as {@code <id>.json} (deterministic: fixed field order, Jackson's default number
 * formatting, non-finite numbers as null) and {@code <id>.png} (the difference with its confidence
 * sequence over time). The same report gives the same bytes every time.
 *
 * @param asOfMillis when the numbers were taken (not the wall clock at writing, which would make
 *     the output differ between runs)
 * @param arms in the experiment's arm order, control first
 * @param srmUnit what the sample ratio check counted: "users" or "exposures"
 * @param timelines one per treatment arm, in arm order
 */
public record ExperimentReport(
    Experiment experiment, long asOfMillis, double alpha, List<ArmSummary> arms, SampleRatioMismatch.Result srm, String srmUnit, List<Timeline> timelines) {
  public static final int PNG_WIDTH = 900;
  public static final int PNG_HEIGHT = 500;
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * @param exposures users (or events) assigned to the arm: what the SRM check counts
   * @param outcomes values of the primary metric observed so far (outcomes whose horizon has passed)
   * @param mean mean of the metric (for "hit": the hit rate)
   * @param variance sample variance of the metric; NaN below 2 outcomes
   * @param guardrails null when the caller tracked none
   */
  public record ArmSummary(String name, long exposures, long outcomes, double mean, double variance, Guardrails guardrails) {
    public static ArmSummary of(String name, long exposures, RunningMoments metric) {
      return new ArmSummary(name, exposures, metric.count(), metric.mean(), metric.variance(), null);
    }
  }

  /**
   * What the live job tracks besides the primary metric, per arm: both outcome metrics and the
   * numbers that say whether an arm is harming users in ways the primary metric does not show.
   *
   * @param users users with a closed exposure
   * @param hitRate NaN before the first outcome
   * @param meanReciprocalRank NaN before the first outcome
   * @param meanLatencyMillis NaN when no exposure measured its latency
   * @param maxLatencyMillis -1 when no exposure measured its latency
   * @param distinctItemsShown catalogue coverage: distinct items the arm has shown
   */
  public record Guardrails(long users, double hitRate, double meanReciprocalRank, long emptyLists, double meanLatencyMillis, long maxLatencyMillis,
      long distinctItemsShown) {}

  /** One look of a treatment arm against the control; see {@link MixtureSequentialTest.Look}. */
  public record TimelinePoint(long timeMillis, double difference, double lower, double upper, double alwaysValidP) {
    public static TimelinePoint of(long timeMillis, MixtureSequentialTest.Look look) {
      return new TimelinePoint(timeMillis, look.difference(), look.lower(), look.upper(), look.alwaysValidP());
    }
  }

  /** @param points in time order */
  public record Timeline(String treatmentArm, List<TimelinePoint> points) {
    public Timeline {
      points = List.copyOf(points);
      for (int i = 1; i < points.size(); i++) {
        if (points.get(i).timeMillis() < points.get(i - 1).timeMillis()) {
          throw new IllegalArgumentException("timeline of arm '" + treatmentArm + "': point " + i + " at " + points.get(i).timeMillis() + " is before point " + (i - 1));
        }
      }
    }
  }

  public ExperimentReport {
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    arms = List.copyOf(arms);
    timelines = List.copyOf(timelines);
    List<String> expectedArms = experiment.arms().stream().map(Arm::name).toList();
    List<String> gotArms = arms.stream().map(ArmSummary::name).toList();
    if (!gotArms.equals(expectedArms)) throw new IllegalArgumentException("report arms " + gotArms + " must be the experiment's arms in order, " + expectedArms);
    List<String> expectedTreatments = expectedArms.subList(1, expectedArms.size());
    List<String> gotTreatments = timelines.stream().map(Timeline::treatmentArm).toList();
    if (!gotTreatments.equals(expectedTreatments)) {
      throw new IllegalArgumentException("report timelines " + gotTreatments + " must be one per treatment arm in order, " + expectedTreatments);
    }
  }

  /**
   * A report from what an operator keeps: per-arm metric moments and exposure counts (arms missing
   * from the maps count as empty) and each treatment's looks; the SRM check runs on the exposures
   * against the arm weights.
   */
  public static ExperimentReport of(Experiment experiment, long asOfMillis, double alpha, Map<String, RunningMoments> metricByArm,
      Map<String, Long> exposuresByArm, Map<String, List<TimelinePoint>> timelineByTreatment) {
    List<ArmSummary> arms = new ArrayList<>();
    long[] exposures = new long[experiment.arms().size()];
    int[] weights = new int[exposures.length];
    for (int i = 0; i < exposures.length; i++) {
      Arm a = experiment.arms().get(i);
      exposures[i] = exposuresByArm.getOrDefault(a.name(), 0L);
      weights[i] = a.weight();
      arms.add(ArmSummary.of(a.name(), exposures[i], metricByArm.getOrDefault(a.name(), new RunningMoments())));
    }
    List<Timeline> timelines = new ArrayList<>();
    for (Arm t : experiment.treatments()) timelines.add(new Timeline(t.name(), timelineByTreatment.getOrDefault(t.name(), List.of())));
    return new ExperimentReport(experiment, asOfMillis, alpha, arms, SampleRatioMismatch.test(exposures, weights), "exposures", timelines);
  }

  public String json() {
    ObjectNode n = MAPPER.createObjectNode(); // insertion order is the written order
    n.put("experiment", experiment.id());
    n.put("version", experiment.version());
    n.put("metric", experiment.metric());
    n.put("asOf", Instant.ofEpochMilli(asOfMillis).toString());
    n.put("start", experiment.start().toString());
    n.put("stop", experiment.stop() == null ? null : experiment.stop().toString());
    n.put("control", experiment.control().name());
    n.put("alpha", alpha);
    ArrayNode armsNode = n.putArray("arms");
    for (int i = 0; i < arms.size(); i++) {
      ArmSummary s = arms.get(i);
      Arm a = experiment.arms().get(i);
      ObjectNode arm = armsNode.addObject();
      arm.put("name", s.name());
      arm.put("weight", a.weight());
      arm.put("model", a.model().toString());
      arm.put("exposures", s.exposures());
      arm.put("outcomes", s.outcomes());
      putNumber(arm, "mean", s.outcomes() == 0 ? Double.NaN : s.mean());
      putNumber(arm, "variance", s.variance());
      Guardrails g = s.guardrails();
      if (g == null) {
        arm.putNull("guardrails");
      } else {
        ObjectNode gn = arm.putObject("guardrails");
        gn.put("users", g.users());
        putNumber(gn, "hitRate", g.hitRate());
        putNumber(gn, "meanReciprocalRank", g.meanReciprocalRank());
        gn.put("emptyLists", g.emptyLists());
        putNumber(gn, "meanLatencyMillis", g.meanLatencyMillis());
        if (g.maxLatencyMillis() < 0) gn.putNull("maxLatencyMillis");
        else gn.put("maxLatencyMillis", g.maxLatencyMillis());
        gn.put("distinctItemsShown", g.distinctItemsShown());
      }
    }
    ObjectNode srmNode = n.putObject("srm");
    srmNode.put("unit", srmUnit);
    putNumber(srmNode, "chiSquare", srm.chiSquare());
    srmNode.put("degreesOfFreedom", srm.degreesOfFreedom());
    putNumber(srmNode, "pValue", srm.pValue());
    srmNode.put("alarm", srm.alarm());
    srmNode.put("alarmBelowP", SampleRatioMismatch.ALARM_P);
    ArrayNode comparisons = n.putArray("comparisons");
    for (Timeline t : timelines) {
      ObjectNode c = comparisons.addObject();
      c.put("treatment", t.treatmentArm());
      c.put("versus", experiment.control().name());
      if (t.points().isEmpty()) {
        c.putNull("latest");
      } else {
        TimelinePoint last = t.points().get(t.points().size() - 1);
        ObjectNode latest = point(c.putObject("latest"), last);
        latest.put("significant", last.alwaysValidP() < alpha);
      }
      ArrayNode points = c.putArray("timeline");
      for (TimelinePoint p : t.points()) point(points.addObject(), p);
    }
    try {
      return MAPPER.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static ObjectNode point(ObjectNode o, TimelinePoint p) {
    o.put("time", Instant.ofEpochMilli(p.timeMillis()).toString());
    putNumber(o, "difference", p.difference());
    putNumber(o, "lower", p.lower());
    putNumber(o, "upper", p.upper());
    putNumber(o, "alwaysValidP", p.alwaysValidP());
    return o;
  }

  /** Null for NaN and ±∞ (not yet defined), which JSON cannot hold as numbers. */
  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) o.put(field, v);
    else o.putNull(field);
  }

  /**
   * Treatment minus control over time, one line per treatment arm with its confidence sequence
   * dashed. Arms without looks yet are left out; with no looks at all, the chart holds one empty line.
   */
  public byte[] png() {
    List<LineChart.Series> series = new ArrayList<>();
    String control = experiment.control().name();
    for (Timeline t : timelines) {
      if (t.points().isEmpty()) continue;
      int k = t.points().size();
      long[] times = new long[k];
      double[] diff = new double[k];
      double[] lo = new double[k];
      double[] hi = new double[k];
      for (int i = 0; i < k; i++) {
        TimelinePoint p = t.points().get(i);
        times[i] = p.timeMillis();
        diff[i] = finiteOrNaN(p.difference());
        lo[i] = finiteOrNaN(p.lower());
        hi[i] = finiteOrNaN(p.upper());
      }
      series.add(new LineChart.Series(t.treatmentArm() + " - " + control, times, diff, lo, hi));
    }
    if (series.isEmpty()) series.add(LineChart.Series.of("no looks yet", new long[0], new double[0]));
    String title = experiment.id() + " v" + experiment.version() + ": " + experiment.metric() + " difference vs " + control + " ("
        + Math.round((1 - alpha) * 100) + "% confidence sequence)";
    return LineChart.png(title, experiment.metric() + " difference", series, PNG_WIDTH, PNG_HEIGHT);
  }

  // An infinite bound (no decisive look yet) would stretch the axis; leave a gap instead.
  private static double finiteOrNaN(double v) {
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** Writes {@code <id>.json} and {@code <id>.png} into {@code dir}, each atomically (temp file, then move). */
  public void writeTo(Path dir) {
    byte[] json = json().getBytes(StandardCharsets.UTF_8);
    byte[] png = png();
    try {
      Files.createDirectories(dir);
      writeAtomically(dir, experiment.id() + ".json", json);
      writeAtomically(dir, experiment.id() + ".png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of experiment '" + experiment.id() + "' to " + dir, e);
    }
  }

  private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(dir, ".tmp-" + name, "");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
