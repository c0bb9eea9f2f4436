package org.lmrec.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Experiment definitions (key = id, value = JSON): valid ones re-version a small pool of experiments
 * that start in 2099 (any change is allowed before the start), hostile ones cover malformed and
 * edge-case JSON, far instants, invalid weights, thousands of arms, keys that do not match, and
 * records that are not JSON at all.
 */
final class ExperimentFuzz implements RecordGenerator {
  private static final int POOL = 40;

  private final SplittableRandom r;
  private final int maxDefinitionChars;
  private final Map<String, Integer> versions = new HashMap<>();
  private int fresh;
  private String lastValid = definition("fz-e0", 1, "2099-01-01T00:00:00Z", null, 50, 50);

  ExperimentFuzz(long seed, int maxDefinitionChars) {
    this.r = new SplittableRandom(seed);
    this.maxDefinitionChars = maxDefinitionChars;
  }

  static String definition(String id, int version, String start, String stop, int w1, int w2) {
    return "{\"id\": \"" + id + "\", \"version\": " + version + ", \"salt\": \"" + id + "-salt\","
        + " \"arms\": [{\"name\": \"control\", \"weight\": " + w1 + ", \"model\": {\"line\": \"main\"}},"
        + " {\"name\": \"candidate\", \"weight\": " + w2 + ", \"model\": {\"line\": \"candidate\"}}],"
        + " \"start\": \"" + start + "\"" + (stop == null ? "" : ", \"stop\": \"" + stop + "\"") + "}";
  }

  private static FuzzRecord record(String kind, String key, String json) {
    return new FuzzRecord(kind, key == null ? null : key.getBytes(StandardCharsets.UTF_8), json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public FuzzRecord valid() {
    String id = "fz-e" + r.nextInt(POOL);
    int v = versions.merge(id, 1, Integer::sum);
    lastValid = definition(id, v, "2099-01-01T00:00:00Z", "2099-02-01T00:00:00Z", 50, 50);
    return record("valid", id, lastValid);
  }

  @Override
  public FuzzRecord fuzz() {
    String id = "fz-x" + r.nextInt(100_000);
    switch (r.nextInt(17)) {
      case 0: return new FuzzRecord("random bytes", id.getBytes(StandardCharsets.UTF_8), Mutations.randomBytes(r, r.nextBoolean() ? 16 : 4096));
      case 1: return new FuzzRecord("bit-flipped valid", keyOf(lastValid), Mutations.bitFlipped(r, lastValid.getBytes(StandardCharsets.UTF_8)));
      case 2: return new FuzzRecord("truncated valid", keyOf(lastValid), Mutations.truncated(r, lastValid.getBytes(StandardCharsets.UTF_8)));
      case 3: { // just over lmrec.experiments.max-definition-chars
        String padded = lastValid + " ".repeat(maxDefinitionChars + 1 + r.nextInt(1_000));
        return new FuzzRecord("oversized (over max-definition-chars)", keyOf(lastValid), padded.getBytes(StandardCharsets.UTF_8));
      }
      case 4: { // deep nesting, under and over the size cap
        boolean over = r.nextInt(5) == 0;
        int depth = over ? maxDefinitionChars / 2 + 100 : 2_000 + r.nextInt(20_000);
        String nested = "[".repeat(depth) + "]".repeat(depth);
        return record("deep nesting (" + (over ? "over" : "under") + " the size cap)", id,
            "{\"id\": \"" + id + "\", \"version\": 1, \"salt\": " + nested + "}");
      }
      case 5: { // huge and odd numbers
        String[] numbers = {"1e400", "123456789012345678901234567890", "-0", "2147483648", "-2147483649", "1.5", "0x10", "NaN", "Infinity", "1e-400"};
        String n = numbers[r.nextInt(numbers.length)];
        String json = switch (r.nextInt(3)) {
          case 0 -> definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50).replace("\"version\": 1", "\"version\": " + n);
          case 1 -> definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50).replace("\"weight\": 50,", "\"weight\": " + n + ",");
          default -> {
            String def = definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50);
            yield def.substring(0, def.length() - 1) + ", \"population\": {\"trafficFraction\": " + n + "}}";
          }
        };
        return record("huge or odd number", id, json);
      }
      case 6: { // duplicate keys: which one wins decides the id, or whether the experiment is already running
        String def = definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50);
        return record("duplicate JSON keys", id, r.nextBoolean()
            ? def.replace("{\"id\": \"" + id + "\"", "{\"id\": \"" + id + "\", \"id\": \"other-" + id + "\"")
            : def.replace("\"start\": \"2099-01-01T00:00:00Z\"", "\"start\": \"2099-01-01T00:00:00Z\", \"start\": \"2020-01-01T00:00:00Z\""));
      }
      case 7: { // wrong types
        String def = definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50);
        String[][] swaps = {{"\"version\": 1", "\"version\": \"1\""}, {"\"arms\": [", "\"arms\": {\"a\": ["}, {"\"salt\": \"" + id + "-salt\"", "\"salt\": 5"},
            {"\"weight\": 50,", "\"weight\": \"50\","}, {"\"start\": \"2099-01-01T00:00:00Z\"", "\"start\": 4070908800000"},
            {"\"model\": {\"line\": \"main\"}", "\"model\": [\"main\"]"}, {"\"model\": {\"line\": \"main\"}", "\"model\": {\"line\": \"main\", \"version\": \"v\"}"}};
        String[] s = swaps[r.nextInt(swaps.length)];
        return record("wrong JSON types", id, def.replace(s[0], s[1]));
      }
      case 8: { // far instants; start after stop
        String[] instants = {"+300000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z",
            "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2020-13-45T00:00:00Z"};
        String start = r.nextBoolean() ? instants[r.nextInt(instants.length)] : "2020-01-01T00:00:00Z";
        String stop = r.nextBoolean() ? instants[r.nextInt(instants.length)] : null;
        return record("far or odd instants", id, definition(id, 1, start, stop, 50, 50));
      }
      case 9: { // invalid weights: zero, negative, overflowing sums
        int[][] weights = {{0, 0}, {-1, 101}, {Integer.MAX_VALUE, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 1}, {100, 0}, {1, Integer.MAX_VALUE}};
        int[] w = weights[r.nextInt(weights.length)];
        return record("invalid weights", id, definition(id, 1, "2099-01-01T00:00:00Z", null, w[0], w[1]));
      }
      case 10: { // thousands of arms (ids), each its own line; compact JSON, mostly under the size cap
        int arms = r.nextInt(5) == 0 ? 1_500 : 1_000 + r.nextInt(300);
        StringBuilder b = new StringBuilder("{\"id\":\"" + id + "\",\"version\":1,\"salt\":\"s\",\"arms\":[");
        for (int i = 0; i < arms; i++) b.append(i == 0 ? "" : ",").append("{\"name\":\"a").append(i).append("\",\"weight\":1,\"model\":{\"line\":\"l").append(i).append("\"}}");
        return record("thousands of arms", id, b.append("], \"start\": \"2099-01-01T00:00:00Z\"}").toString());
      }
      case 11: { // keys: none, not matching, control characters
        String evil = EdgeValues.string(r);
        return switch (r.nextInt(3)) {
          case 0 -> record("no record key", null, definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50));
          case 1 -> record("record key is not the id", "other-" + id, definition(id, 1, "2099-01-01T00:00:00Z", null, 50, 50));
          default -> record("edge string as id and key", evil, definition(evil.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
              .replace("\u0000", "\\u0000").replace("\u001b", "\\u001b"), 1, "2099-01-01T00:00:00Z", null, 50, 50));
        };
      }
      case 12: return record("tombstone", r.nextBoolean() ? "fz-e" + r.nextInt(POOL) : id, null);
      case 13: { // Avro records of other topics
        var schemas = KnownSchemas.CURRENT;
        Schema s = schemas.get(r.nextInt(schemas.size()));
        return new FuzzRecord("a " + s.getName() + " record (Avro)", id.getBytes(StandardCharsets.UTF_8), WireFormat.encodeGeneric((GenericRecord) EdgeValues.plain(s, r)));
      }
      case 14: { // new experiments that run now: fill the cap of known experiments, then changes to running ones
        String newId = r.nextBoolean() ? "fz-run" + (fresh++) : "fz-run" + r.nextInt(Math.max(1, fresh));
        return record("running experiment (new or changed)", newId, definition(newId, 1 + r.nextInt(3), "2020-01-01T00:00:00Z", null, 50, 50));
      }
      case 15: {
        String[] docs = {"", "null", "[]", "1", "\"text\"", "\ufeff" + lastValid, "{}", "{\"id\": null}", "[" + lastValid + "]",
            lastValid.replace("}", "} trailing"), "{\"id\": \"" + id + "\", /* comment */ \"version\": 1}"};
        return record("JSON edge document", id, docs[r.nextInt(docs.length)]);
      }
      default: {
        FuzzRecord v = valid();
        return new FuzzRecord("valid (among the fuzz)", v.key(), v.value());
      }
    }
  }

  private static byte[] keyOf(String json) {
    int start = json.indexOf("\"id\": \"") + 7;
    return json.substring(start, json.indexOf('"', start)).getBytes(StandardCharsets.UTF_8);
  }
}
