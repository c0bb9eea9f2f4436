package org.lmrec.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Experiments as JSON, e.g.
 *
 * <pre>{@code
 * {
 *   "id" : "rank-v2",
 *   "version" : 3,
 *   "salt" : "rank-v2-2026-11",
 *   "arms" : [ { "name" : "control", "weight" : 50, "model" : { "line" : "main" } },
 *              { "name" : "p2rec", "weight" : 50, "model" : { "version" : "sasrec-20261123T225452Z" } } ],
 *   "start" : "2026-11-24T00:00:00Z",
 *   "stop" : "2026-12-08T00:00:00Z",
 *   "population" : { "trafficFraction" : 0.2, "userIdPrefix" : "u" },
 *   "metric" : "hit"
 * }
 * }</pre>
 *
 * {@code stop}, {@code population} (and either of its fields) and {@code metric} may be left
 * out. Instants are ISO-8601 ({@code Instant.parse}). Unknown fields are refused rather than
 * ignored: a misspelt {@code "stopp"} would otherwise silently run an experiment forever. Written
 * JSON is deterministic: fixed field order, instants in UTC ISO-8601, two-space indentation.
 */
public final class ExperimentJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
      // {"start": "2099-…", "start": "2020-…"} reads as one thing to a reviewer and another to the parser
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> EXPERIMENT_FIELDS = Set.of("id", "version", "salt", "arms", "start", "stop", "population", "metric");
  private static final Set<String> ARM_FIELDS = Set.of("name", "weight", "model");
  private static final Set<String> MODEL_FIELDS = Set.of("version", "line");
  private static final Set<String> POPULATION_FIELDS = Set.of("trafficFraction", "userIdPrefix");

  private ExperimentJson() {}

  /** One experiment from a JSON object. */
  public static Experiment parse(String json) {
    return fromNode(readTree(json));
  }

  public static Experiment parse(byte[] json) {
    return parse(new String(json, StandardCharsets.UTF_8));
  }

  /** A JSON array of experiments; errors name the array index as well as the experiment. */
  public static List<Experiment> parseArray(String json) {
    JsonNode root = readTree(json);
    if (!root.isArray()) throw new ExperimentConfigException(null, null, "expected a JSON array of experiments, got " + kind(root));
    List<Experiment> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      try {
        out.add(fromNode(root.get(i)));
      } catch (ExperimentConfigException e) {
        throw new ExperimentConfigException(e.experimentId(), e.field(), e.problem() + " (experiments[" + i + "])", e);
      }
    }
    return out;
  }

  /** A file holding one experiment (a JSON object) or a JSON array of them. */
  public static List<Experiment> load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ExperimentConfigException(null, null, "cannot read " + file + ": " + e, e);
    }
    try {
      return readTree(text).isArray() ? parseArray(text) : List.of(parse(text));
    } catch (ExperimentConfigException e) {
      throw new ExperimentConfigException(e.experimentId(), e.field(), e.problem() + " in " + file, e);
    }
  }

  public static String write(Experiment e) {
    return toString(toNode(e));
  }

  public static String writeArray(List<Experiment> experiments) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Experiment e : experiments) array.add(toNode(e));
    return toString(array);
  }

  static ObjectNode toNode(Experiment e) {
    ObjectNode n = MAPPER.createObjectNode(); // insertion order is the written order
    n.put("id", e.id());
    n.put("version", e.version());
    n.put("salt", e.salt());
    ArrayNode arms = n.putArray("arms");
    for (Arm a : e.arms()) {
      ObjectNode arm = arms.addObject();
      arm.put("name", a.name());
      arm.put("weight", a.weight());
      arm.putObject("model").put(a.model().isLine() ? "line" : "version", a.model().name());
    }
    n.put("start", e.start().toString());
    if (e.stop() != null) n.put("stop", e.stop().toString());
    ObjectNode population = n.putObject("population");
    population.put("trafficFraction", e.population().trafficFraction());
    if (e.population().userIdPrefix() != null) population.put("userIdPrefix", e.population().userIdPrefix());
    n.put("metric", e.metric());
    return n;
  }

  private static String toString(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("a JSON tree always serialises", ex);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || root.isMissingNode()) throw new ExperimentConfigException(null, null, "empty document");
      return root;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ExperimentConfigException(null, null, "malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  private static Experiment fromNode(JsonNode n) {
    if (!n.isObject()) throw new ExperimentConfigException(null, null, "expected a JSON object, got " + kind(n));
    // The id first, so every later error can name the experiment.
    String id = optionalText(null, n, "id");
    if (id == null) throw new ExperimentConfigException(null, "id", "is missing");
    refuseUnknown(id, null, n, EXPERIMENT_FIELDS);
    int version = requiredInt(id, n, "version");
    String salt = requiredText(id, n, "salt");
    JsonNode armsNode = n.get("arms");
    if (armsNode == null || armsNode.isNull()) throw new ExperimentConfigException(id, "arms", "is missing");
    if (!armsNode.isArray()) throw new ExperimentConfigException(id, "arms", "must be an array, got " + kind(armsNode));
    if (armsNode.size() > Experiment.MAX_ARMS) {
      throw new ExperimentConfigException(id, "arms", "has " + armsNode.size() + " arms, more than the " + Experiment.MAX_ARMS + " allowed");
    }
    List<Arm> arms = new ArrayList<>();
    for (int i = 0; i < armsNode.size(); i++) arms.add(arm(id, "arms[" + i + "]", armsNode.get(i)));
    Instant start = instant(id, n, "start");
    if (start == null) throw new ExperimentConfigException(id, "start", "is missing");
    Instant stop = instant(id, n, "stop");
    PopulationFilter population = population(id, n.get("population"));
    String metric = optionalText(id, n, "metric");
    try {
      return new Experiment(id, version, salt, arms, start, stop, population, metric);
    } catch (ExperimentConfigException e) {
      throw e.within(id, null);
    }
  }

  private static Arm arm(String id, String path, JsonNode n) {
    if (n == null || !n.isObject()) throw new ExperimentConfigException(id, path, "must be an object, got " + kind(n));
    refuseUnknown(id, path, n, ARM_FIELDS);
    String name = requiredText(id, n, "name", path);
    int weight = requiredInt(id, n, "weight", path);
    ModelRef model = model(id, path + ".model", n.get("model"));
    try {
      return new Arm(name, weight, model);
    } catch (ExperimentConfigException e) {
      throw e.within(id, path);
    }
  }

  private static ModelRef model(String id, String path, JsonNode n) {
    if (n == null || n.isNull()) throw new ExperimentConfigException(id, path, "is missing");
    if (!n.isObject()) throw new ExperimentConfigException(id, path, "must be an object like {\"line\": \"main\"} or {\"version\": \"v3\"}, got " + kind(n));
    refuseUnknown(id, path, n, MODEL_FIELDS);
    boolean hasVersion = n.has("version");
    boolean hasLine = n.has("line");
    if (hasVersion == hasLine) {
      throw new ExperimentConfigException(id, path, "must have exactly one of \"version\" or \"line\", got " + (hasLine ? "both" : "neither"));
    }
    String field = hasLine ? "line" : "version";
    String name = requiredText(id, n, field, path);
    try {
      return hasLine ? ModelRef.line(name) : ModelRef.version(name);
    } catch (ExperimentConfigException e) {
      throw new ExperimentConfigException(id, path + "." + field, e.problem(), e);
    }
  }

  private static PopulationFilter population(String id, JsonNode n) {
    if (n == null || n.isNull()) return PopulationFilter.everyone();
    if (!n.isObject()) throw new ExperimentConfigException(id, "population", "must be an object, got " + kind(n));
    refuseUnknown(id, "population", n, POPULATION_FIELDS);
    double fraction = 1.0;
    JsonNode f = n.get("trafficFraction");
    if (f != null && !f.isNull()) {
      if (!f.isNumber()) throw new ExperimentConfigException(id, "population.trafficFraction", "must be a number, got " + kind(f));
      fraction = f.doubleValue();
    }
    String prefix = optionalText(id, n, "userIdPrefix", "population");
    try {
      return new PopulationFilter(fraction, prefix);
    } catch (ExperimentConfigException e) {
      throw e.within(id, "population");
    }
  }

  private static void refuseUnknown(String id, String path, JsonNode n, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new ExperimentConfigException(id, path == null ? f : path + "." + f, "is not a known field (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static Instant instant(String id, JsonNode n, String field) {
    String text = optionalText(id, n, field);
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ExperimentConfigException(id, field, "must be an ISO-8601 instant like 2026-11-24T00:00:00Z, got '" + text + "'", e);
    }
  }

  private static int requiredInt(String id, JsonNode n, String field) {
    return requiredInt(id, n, field, null);
  }

  private static int requiredInt(String id, JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    String where = path == null ? field : path + "." + field;
    if (v == null || v.isNull()) throw new ExperimentConfigException(id, where, "is missing");
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new ExperimentConfigException(id, where, "must be an integer, got " + kind(v) + " " + v);
    return v.intValue();
  }

  private static String requiredText(String id, JsonNode n, String field) {
    return requiredText(id, n, field, null);
  }

  private static String requiredText(String id, JsonNode n, String field, String path) {
    String v = optionalText(id, n, field, path);
    if (v == null) throw new ExperimentConfigException(id, path == null ? field : path + "." + field, "is missing");
    return v;
  }

  private static String optionalText(String id, JsonNode n, String field) {
    return optionalText(id, n, field, null);
  }

  private static String optionalText(String id, JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new ExperimentConfigException(id, path == null ? field : path + "." + field, "must be a string, got " + kind(v) + " " + v);
    return v.textValue();
  }

  private static String kind(JsonNode n) {
    return n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
