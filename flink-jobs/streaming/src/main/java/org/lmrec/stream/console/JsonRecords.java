package org.lmrec.stream.console;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Hand-written JSON to a generated Avro record, checked against the record's schema: every field
 * the schema requires is there with the right type, no field is unknown, enum symbols exist.
 * Timestamps are epoch milliseconds or ISO-8601 text, optional fields may be left out or null, and
 * a map or record is a plain JSON object (not Avro's JSON encoding, which wraps every union value).
 * Each refusal is an {@link IllegalArgumentException} naming the field path and what was expected.
 */
final class JsonRecords {
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonRecords() {}

  /** Parses one JSON object; a syntax error becomes a one-line message. */
  static JsonNode parse(String text) {
    try {
      JsonNode node = STRICT.readTree(text);
      if (node == null || node.isMissingNode()) throw new IllegalArgumentException("no JSON object (empty input)");
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")");
    }
  }

  static <T extends SpecificRecord> T read(JsonNode json, Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    return type.cast(record(json, model.getSchema(type), model, "$"));
  }

  private static Object record(JsonNode json, Schema schema, SpecificData model, String path) {
    if (!json.isObject()) throw wrong(path, "a JSON object (" + schema.getName() + ")", json);
    Map<String, Schema.Field> fields = schema.getFields().stream().collect(Collectors.toMap(Schema.Field::name, f -> f, (a, b) -> a, LinkedHashMap::new));
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.containsKey(name)) {
        throw new IllegalArgumentException(path + ": unknown field '" + name + "'; " + schema.getName() + " has " + String.join(", ", fields.keySet()));
      }
    }
    IndexedRecord out = (IndexedRecord) model.newRecord(null, schema);
    for (Schema.Field f : schema.getFields()) {
      JsonNode v = json.get(f.name());
      if (v == null) {
        if (!f.hasDefaultValue()) throw new IllegalArgumentException(path + ": missing required field '" + f.name() + "' (" + describe(f.schema()) + ")");
        out.put(f.pos(), model.getDefaultValue(f));
      } else {
        out.put(f.pos(), value(v, f.schema(), model, path + "." + f.name()));
      }
    }
    return out;
  }

  private static Object value(JsonNode v, Schema s, SpecificData model, String path) {
    switch (s.getType()) {
      case UNION -> {
        List<Schema> others = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        if (v.isNull()) {
          if (others.size() < s.getTypes().size()) return null;
          throw wrong(path, describe(s), v);
        }
        if (others.size() != 1) throw new IllegalArgumentException(path + ": a union of " + describe(s) + " cannot be written by hand");
        return value(v, others.get(0), model, path);
      }
      case NULL -> {
        if (!v.isNull()) throw wrong(path, "null", v);
        return null;
      }
      case STRING -> {
        if (!v.isTextual()) throw wrong(path, "a string", v);
        return v.textValue();
      }
      case ENUM -> {
        if (!v.isTextual() || !s.getEnumSymbols().contains(v.textValue())) throw wrong(path, "one of " + s.getEnumSymbols(), v);
        return model.createEnum(v.textValue(), s);
      }
      case BOOLEAN -> {
        if (!v.isBoolean()) throw wrong(path, "true or false", v);
        return v.booleanValue();
      }
      case INT -> {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrong(path, "an integer (32 bits)", v);
        return v.intValue();
      }
      case LONG -> {
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) return instant(v, path);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrong(path, "an integer (64 bits)", v);
        return v.longValue();
      }
      case FLOAT -> {
        if (!v.isNumber()) throw wrong(path, "a number", v);
        return v.floatValue();
      }
      case DOUBLE -> {
        if (!v.isNumber()) throw wrong(path, "a number", v);
        return v.doubleValue();
      }
      case BYTES -> {
        if (!v.isTextual()) throw wrong(path, "base64 text", v);
        try {
          return ByteBuffer.wrap(Base64.getDecoder().decode(v.textValue()));
        } catch (IllegalArgumentException e) {
          throw wrong(path, "base64 text", v);
        }
      }
      case MAP -> {
        if (!v.isObject()) throw wrong(path, "a JSON object of " + describe(s.getValueType()), v);
        Map<String, Object> m = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue(), s.getValueType(), model, path + "['" + e.getKey() + "']")));
        return m;
      }
      case ARRAY -> {
        if (!v.isArray()) throw wrong(path, "a JSON array of " + describe(s.getElementType()), v);
        List<Object> a = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) a.add(value(v.get(i), s.getElementType(), model, path + "[" + i + "]"));
        return a;
      }
      case RECORD -> {
        return record(v, s, model, path);
      }
      default -> throw new IllegalArgumentException(path + ": a field of Avro type " + s.getType() + " cannot be written by hand");
    }
  }

  private static Instant instant(JsonNode v, String path) {
    if (v.isIntegralNumber() && v.canConvertToLong()) return Instant.ofEpochMilli(v.longValue());
    if (v.isTextual()) {
      try {
        return Instant.ofEpochMilli(Instant.parse(v.textValue()).toEpochMilli());
      } catch (DateTimeParseException | ArithmeticException e) {
        // falls through to the refusal below
      }
    }
    throw wrong(path, "a time: epoch milliseconds or ISO-8601 UTC such as 2026-12-06T21:00:00Z", v);
  }

  private static String describe(Schema s) {
    return switch (s.getType()) {
      case UNION -> s.getTypes().stream().map(JsonRecords::describe).collect(Collectors.joining(" or "));
      case ENUM -> "one of " + s.getEnumSymbols();
      case LONG -> s.getLogicalType() instanceof LogicalTypes.TimestampMillis ? "a time: epoch milliseconds or ISO-8601" : "an integer";
      case MAP -> "an object of " + describe(s.getValueType());
      case ARRAY -> "an array of " + describe(s.getElementType());
      case RECORD -> "an object (" + s.getName() + ")";
      default -> s.getType().getName();
    };
  }

  private static IllegalArgumentException wrong(String path, String expected, JsonNode got) {
    String shown = got.toString();
    if (shown.length() > 80) shown = shown.substring(0, 80) + "...";
    return new IllegalArgumentException(path + ": expected " + expected + ", got " + shown);
  }
}
