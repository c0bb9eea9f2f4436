package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentJsonTest {
  private static final String FULL = """
      {
        "id" : "rank-v2",
        "version" : 3,
        "salt" : "rank-v2-2026-11",
        "arms" : [ {
          "name" : "control",
          "weight" : 50,
          "model" : {
            "line" : "main"
          }
        }, {
          "name" : "p2rec",
          "weight" : 50,
          "model" : {
            "version" : "sasrec-20261123T225452Z"
          }
        } ],
        "start" : "2026-11-24T00:00:00Z",
        "stop" : "2026-12-08T00:00:00Z",
        "population" : {
          "trafficFraction" : 0.2,
          "userIdPrefix" : "u"
        },
        "metric" : "hit"
      }
      """;

  @TempDir Path dir;

  /** A minimal valid definition with {@code extra} spliced in after the arms. */
  private static String minimal(String extra) {
    return """
        {"id": "exp-1", "version": 1, "salt": "s",
         "arms": [{"name": "a", "weight": 1, "model": {"line": "main"}}, {"name": "b", "weight": 1, "model": {"line": "cand"}}],
         "start": "2026-11-24T00:00:00Z" %s}
        """.formatted(extra);
  }

  @Test
  void parsesEveryFieldAndWritesTheSameTextBack() {
    Experiment e = ExperimentJson.parse(FULL);
    assertThat(e.id()).isEqualTo("rank-v2");
    assertThat(e.version()).isEqualTo(3);
    assertThat(e.salt()).isEqualTo("rank-v2-2026-11");
    assertThat(e.arms()).containsExactly(new Arm("control", 50, ModelRef.line("main")), new Arm("p2rec", 50, ModelRef.version("sasrec-20261123T225452Z")));
    assertThat(e.start()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(e.stop()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
    assertThat(e.population()).isEqualTo(new PopulationFilter(0.2, "u"));
    assertThat(e.metric()).isEqualTo("hit");
    assertThat(ExperimentJson.write(e)).isEqualTo(FULL);
    assertThat(ExperimentJson.parse(ExperimentJson.write(e))).isEqualTo(e);
  }

  @Test
  void optionalFieldsTakeTheirDefaultsAndWritingIsCanonical() {
    Experiment e = ExperimentJson.parse(minimal(""));
    assertThat(e.stop()).isNull();
    assertThat(e.population()).isEqualTo(PopulationFilter.everyone());
    assertThat(e.metric()).isEqualTo("hit");
    // Field order in the input does not matter; the written order is fixed.
    Experiment reordered = ExperimentJson.parse("""
        {"start": "2026-11-24T01:00:00+01:00", "arms": [{"model": {"line": "main"}, "weight": 1, "name": "a"}, {"weight": 1, "name": "b", "model": {"line": "cand"}}],
         "salt": "s", "version": 1, "id": "exp-1", "stop": null}
        """);
    assertThat(reordered).isEqualTo(e);
    assertThat(ExperimentJson.write(reordered)).isEqualTo(ExperimentJson.write(e)).contains("\"start\" : \"2026-11-24T00:00:00Z\"");
  }

  @Test
  void loadsAnArrayFromAFile() throws URISyntaxException {
    Path file = Path.of(getClass().getResource("/experiment/experiments.json").toURI());
    List<Experiment> all = ExperimentJson.load(file);
    assertThat(all).extracting(Experiment::id).containsExactly("rank-v2", "three-way");
    assertThat(all.get(1).arms()).extracting(Arm::weight).containsExactly(10, 30, 60);
    assertThat(all.get(1).start()).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
    assertThat(ExperimentJson.parseArray(ExperimentJson.writeArray(all))).isEqualTo(all);
  }

  @Test
  void errorsNameTheExperimentAndTheField() {
    assertError(minimal(", \"stopp\": \"2026-12-01T00:00:00Z\""), "exp-1", "stopp", "is not a known field");
    assertError(minimal(", \"stop\": \"next tuesday\""), "exp-1", "stop", "must be an ISO-8601 instant like 2026-11-24T00:00:00Z, got 'next tuesday'");
    assertError(minimal(", \"stop\": \"2026-11-01T00:00:00Z\""), "exp-1", "stop", "must be after start");
    // Parseable instants that overflow epoch milliseconds: accepted once, they failed every later interaction.
    assertError(minimal(", \"stop\": \"+300000000-01-01T00:00:00Z\""), "exp-1", "stop", "must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
    assertError(minimal("").replace("2026-11-24T00:00:00Z", "-300000000-01-01T00:00:00Z"), "exp-1", "start", "must lie between");
    assertError(minimal("").replace("2026-11-24T00:00:00Z", "1969-12-31T23:59:59Z"), "exp-1", "start", "must lie between");
    assertError(minimal(", \"population\": {\"trafficFraction\": 0}"), "exp-1", "population.trafficFraction", "must be in (0, 1], got 0.0");
    assertError(minimal(", \"population\": {\"trafficFraction\": \"half\"}"), "exp-1", "population.trafficFraction", "must be a number, got string");
    assertError(minimal(", \"metric\": 3"), "exp-1", "metric", "must be a string, got number 3");
    assertError(minimal("").replace("\"weight\": 1, \"model\": {\"line\": \"cand\"}", "\"weight\": -3, \"model\": {\"line\": \"cand\"}"),
        "exp-1", "arms[1].weight", "must be a positive integer, got -3");
    assertError(minimal("").replace("\"weight\": 1, \"model\": {\"line\": \"cand\"}", "\"weight\": 1.5, \"model\": {\"line\": \"cand\"}"),
        "exp-1", "arms[1].weight", "must be an integer, got number 1.5");
    assertError(minimal("").replace("{\"line\": \"cand\"}", "{\"line\": \"cand\", \"version\": \"v3\"}"), "exp-1", "arms[1].model", "exactly one of \"version\" or \"line\", got both");
    assertError(minimal("").replace("{\"line\": \"cand\"}", "{}"), "exp-1", "arms[1].model", "got neither");
    assertError(minimal("").replace("{\"line\": \"cand\"}", "{\"line\": \"\"}"), "exp-1", "arms[1].model.line", "must be a non-blank name");
    assertError(minimal("").replace("\"name\": \"b\"", "\"name\": \"a\""), "exp-1", "arms[1].name", "'a' repeats arms[0].name");
    assertError(minimal("").replace("\"name\": \"b\"", "\"nmae\": \"b\""), "exp-1", "arms[1].nmae", "is not a known field");
    assertError(minimal("").replace("\"salt\": \"s\",", ""), "exp-1", "salt", "is missing");
    assertError(minimal("").replace("\"version\": 1", "\"version\": \"1\""), "exp-1", "version", "must be an integer, got string \"1\"");
    assertError(minimal("").replace("\"id\": \"exp-1\",", ""), null, "id", "is missing");
    assertError("[1, 2]", null, null, "expected a JSON object, got array");
    assertError("{\"id\": ", null, null, "malformed JSON at line 1");
  }

  @Test
  void arrayErrorsNameTheIndex() {
    String array = "[" + minimal("") + ", " + minimal(", \"metric\": \"\"").replace("exp-1", "exp-2") + "]";
    assertThatThrownBy(() -> ExperimentJson.parseArray(array)).isInstanceOf(ExperimentConfigException.class)
        .hasMessage("experiment 'exp-2': metric must be one of [hit, reciprocalRank], got '' (experiments[1])");
    assertThatThrownBy(() -> ExperimentJson.parseArray(minimal(""))).hasMessageContaining("expected a JSON array of experiments, got object");
  }

  @Test
  void loadNamesTheFile() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "[" + minimal(", \"stop\": \"soon\"") + "]");
    assertThatThrownBy(() -> ExperimentJson.load(file)).hasMessageContaining("experiment 'exp-1': stop must be an ISO-8601 instant").hasMessageContaining(file.toString());
    assertThatThrownBy(() -> ExperimentJson.load(dir.resolve("missing.json"))).hasMessageContaining("cannot read").hasMessageContaining("missing.json");
  }

  @Test
  void duplicateKeysAreRefused() {
    // A reviewer reads the first "start"; a parser keeping the last would run it since 2020.
    String twice = minimal(", \"start\": \"2020-01-01T00:00:00Z\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExperimentJson.parse(twice))
        .isInstanceOf(ExperimentConfigException.class).hasMessageContaining("Duplicate field 'start'");
  }

  @Test
  void moreArmsThanCanBeMeasuredAreRefused() {
    String arms = java.util.stream.IntStream.range(0, Experiment.MAX_ARMS + 1)
        .mapToObj(i -> "{\"name\": \"a" + i + "\", \"weight\": 1, \"model\": {\"line\": \"l" + i + "\"}}")
        .collect(java.util.stream.Collectors.joining(", "));
    assertError("{\"id\": \"many\", \"version\": 1, \"salt\": \"s\", \"arms\": [" + arms + "], \"start\": \"2026-11-24T00:00:00Z\"}",
        "many", "arms", "17 arms, more than the 16 allowed");
  }

  private static void assertError(String json, String id, String field, String problem) {
    ExperimentConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ExperimentConfigException.class, () -> ExperimentJson.parse(json));
    assertThat(e.experimentId()).as(e.getMessage()).isEqualTo(id);
    assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
    assertThat(e.getMessage()).contains(problem);
    if (id != null) assertThat(e.getMessage()).startsWith("experiment '" + id + "': " + field + " ");
  }

  @Test
  void aFileMayHoldOneExperimentAsAnObject() throws Exception {
    Path file = dir.resolve("one.json");
    java.nio.file.Files.writeString(file, FULL);
    assertThat(ExperimentJson.load(file)).extracting(Experiment::id).containsExactly("rank-v2");
  }
}
