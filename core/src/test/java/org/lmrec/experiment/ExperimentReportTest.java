package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentReportTest {
  private static final long HOUR = 3_600_000L;
  @TempDir Path dir;

  private static Experiment threeArms() {
    return Experiments.withArms(Experiments.fiftyFifty("rank-v2"),
        List.of(new Arm("control", 2, ModelRef.line("main")), new Arm("p2rec", 1, ModelRef.version("v7")), new Arm("llmemb", 1, ModelRef.line("cand"))));
  }

  /** A seeded simulated run: hourly looks, p2rec better than the control, llmemb the same. */
  private static ExperimentReport report(long seed) {
    Experiment e = threeArms();
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, RunningMoments> metric = Map.of("control", new RunningMoments(), "p2rec", new RunningMoments(), "llmemb", new RunningMoments());
    Map<String, Double> rate = Map.of("control", 0.10, "p2rec", 0.14, "llmemb", 0.10);
    Map<String, MixtureSequentialTest> tests = Map.of("p2rec", new MixtureSequentialTest(), "llmemb", new MixtureSequentialTest());
    Map<String, List<ExperimentReport.TimelinePoint>> timelines = Map.of("p2rec", new ArrayList<>(), "llmemb", new ArrayList<>());
    long t = Experiments.START.toEpochMilli();
    for (int hour = 1; hour <= 24; hour++) {
      for (Arm a : e.arms()) {
        for (int i = 0; i < 100 * a.weight(); i++) metric.get(a.name()).add(rng.nextDouble() < rate.get(a.name()) ? 1 : 0);
      }
      for (String treatment : tests.keySet()) {
        MixtureSequentialTest.Look look = tests.get(treatment).update(metric.get("control"), metric.get(treatment));
        timelines.get(treatment).add(ExperimentReport.TimelinePoint.of(t + hour * HOUR, look));
      }
    }
    Map<String, Long> exposures = Map.of("control", 4_950L, "p2rec", 2_400L, "llmemb", 2_401L);
    return ExperimentReport.of(e, t + 24 * HOUR, MixtureSequentialTest.DEFAULT_ALPHA, metric, exposures, timelines);
  }

  @Test
  void theSameInputGivesByteIdenticalJsonAndPng() {
    ExperimentReport first = report(42);
    ExperimentReport second = report(42);
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(second.png()).isEqualTo(first.png());
    assertThat(report(43).json()).isNotEqualTo(first.json());
  }

  @Test
  void theJsonHoldsTheArmsTheSrmCheckAndTheComparisons() throws Exception {
    ExperimentReport r = report(42);
    JsonNode json = new ObjectMapper().readTree(r.json());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("experiment", "version", "metric", "asOf", "start", "stop", "control", "alpha", "arms", "srm", "comparisons");
    assertThat(json.get("asOf").asText()).isEqualTo("2026-11-25T00:00:00Z");
    JsonNode control = json.get("arms").get(0);
    assertThat(control.get("name").asText()).isEqualTo("control");
    assertThat(control.get("weight").asInt()).isEqualTo(2);
    assertThat(control.get("model").asText()).isEqualTo("line:main");
    assertThat(control.get("exposures").asLong()).isEqualTo(4_950);
    assertThat(control.get("outcomes").asLong()).isEqualTo(24 * 200);
    assertThat(control.get("mean").asDouble()).isEqualTo(r.arms().get(0).mean());
    assertThat(control.get("variance").asDouble()).isEqualTo(r.arms().get(0).variance());
    // 4950/2400/2401 (9751 in all) against 2/1/1: expected 4875.5/2437.75/2437.75.
    JsonNode srm = json.get("srm");
    double expectedChi = 74.5 * 74.5 / 4875.5 + 37.75 * 37.75 / 2437.75 + 36.75 * 36.75 / 2437.75;
    assertThat(srm.get("chiSquare").asDouble()).isCloseTo(expectedChi, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(srm.get("degreesOfFreedom").asInt()).isEqualTo(2);
    assertThat(srm.get("pValue").asDouble()).isEqualTo(r.srm().pValue());
    assertThat(srm.get("alarm").asBoolean()).isFalse();
    assertThat(srm.get("alarmBelowP").asDouble()).isEqualTo(0.001);
    assertThat(srm.get("unit").asText()).isEqualTo("exposures");
    assertThat(control.get("guardrails").isNull()).isTrue();
    JsonNode p2rec = json.get("comparisons").get(0);
    assertThat(p2rec.get("treatment").asText()).isEqualTo("p2rec");
    assertThat(p2rec.get("versus").asText()).isEqualTo("control");
    assertThat(p2rec.get("timeline")).hasSize(24);
    assertThat(p2rec.get("latest").get("significant").asBoolean()).isTrue();
    assertThat(p2rec.get("latest").get("lower").asDouble()).isPositive();
    JsonNode llmemb = json.get("comparisons").get(1);
    assertThat(llmemb.get("latest").get("significant").asBoolean()).isFalse();
    assertThat(llmemb.get("timeline").get(0).get("time").asText()).isEqualTo("2026-11-24T01:00:00Z");
  }

  @Test
  void undefinedNumbersAreWrittenAsNullAndAnEmptyReportStillDraws() throws Exception {
    Experiment e = Experiments.fiftyFifty("fresh");
    MixtureSequentialTest.Look look = new MixtureSequentialTest().update(new RunningMoments(), new RunningMoments());
    ExperimentReport r = ExperimentReport.of(e, Experiments.START.toEpochMilli(), 0.05, Map.of(), Map.of(),
        Map.of("treatment", List.of(ExperimentReport.TimelinePoint.of(Experiments.START.toEpochMilli(), look))));
    JsonNode json = new ObjectMapper().readTree(r.json());
    assertThat(json.get("arms").get(0).get("mean").isNull()).isTrue();
    assertThat(json.get("arms").get(0).get("variance").isNull()).isTrue();
    JsonNode point = json.get("comparisons").get(0).get("timeline").get(0);
    assertThat(point.get("difference").isNull()).isTrue();
    assertThat(point.get("lower").isNull()).isTrue();
    assertThat(point.get("upper").isNull()).isTrue();
    assertThat(point.get("alwaysValidP").asDouble()).isEqualTo(1.0);
    assertThat(json.get("srm").get("alarm").asBoolean()).isFalse();
    assertThat(ImageIO.read(new ByteArrayInputStream(r.png())).getWidth()).isEqualTo(ExperimentReport.PNG_WIDTH);
    ExperimentReport noLooks = ExperimentReport.of(e, Experiments.START.toEpochMilli(), 0.05, Map.of(), Map.of(), Map.of());
    assertThat(new ObjectMapper().readTree(noLooks.json()).get("comparisons").get(0).get("latest").isNull()).isTrue();
    assertThat(noLooks.png()).isNotEmpty();
  }

  @Test
  void writesJsonAndPngAtomicallyUnderTheExperimentId() throws Exception {
    ExperimentReport r = report(42);
    r.writeTo(dir.resolve("reports"));
    r.writeTo(dir.resolve("reports")); // replacing is fine
    Path json = dir.resolve("reports/rank-v2.json");
    Path png = dir.resolve("reports/rank-v2.png");
    assertThat(Files.readString(json)).isEqualTo(r.json());
    assertThat(Files.readAllBytes(png)).isEqualTo(r.png());
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(ExperimentReport.PNG_WIDTH);
    assertThat(image.getHeight()).isEqualTo(ExperimentReport.PNG_HEIGHT);
    try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("rank-v2.json", "rank-v2.png"); // no temp files left
    }
  }

  @Test
  void refusesArmsOrTimelinesThatDoNotMatchTheExperiment() {
    ExperimentReport r = report(1);
    assertThatThrownBy(() -> new ExperimentReport(r.experiment(), r.asOfMillis(), 0.05, r.arms().subList(0, 2), r.srm(), "exposures", r.timelines()))
        .hasMessageContaining("report arms [control, p2rec] must be the experiment's arms in order, [control, p2rec, llmemb]");
    assertThatThrownBy(() -> new ExperimentReport(r.experiment(), r.asOfMillis(), 0.05, r.arms(), r.srm(), "exposures", List.of(r.timelines().get(1), r.timelines().get(0))))
        .hasMessageContaining("one per treatment arm in order, [p2rec, llmemb]");
    assertThatThrownBy(() -> new ExperimentReport.Timeline("p2rec", List.of(new ExperimentReport.TimelinePoint(2, 0, 0, 0, 1), new ExperimentReport.TimelinePoint(1, 0, 0, 0, 1))))
        .hasMessageContaining("point 1 at 1 is before point 0");
  }
}
