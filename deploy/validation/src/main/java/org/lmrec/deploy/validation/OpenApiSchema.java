package org.lmrec.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An OpenAPI v3 schema of a CustomResourceDefinition ({@code openAPIV3Schema}), checked the way an
 * API server with a structural schema would, but stricter: a field the schema does not declare is
 * an error (the API server would prune it silently) unless the schema says {@code
 * x-kubernetes-preserve-unknown-fields} or gives {@code additionalProperties}. Checks {@code type},
 * {@code enum}, {@code required}, {@code minimum}/{@code maximum}, {@code items}, {@code anyOf}/{@code
 * oneOf} and {@code x-kubernetes-int-or-string}; a null value is an error (it would be dropped).
 */
public final class OpenApiSchema {
  private final JsonNode root;

  public OpenApiSchema(JsonNode root) {
    this.root = root;
  }

  public JsonNode root() {
    return root;
  }

  /**
   * The schema of {@code version} in a CRD file on the classpath (apiextensions v1: {@code
   * spec.versions[].schema.openAPIV3Schema}; v1beta1: {@code spec.validation.openAPIV3Schema}).
   */
  public static OpenApiSchema fromCrdResource(String resource, String version) throws IOException {
    try (InputStream in = OpenApiSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("no CRD " + resource + " on the classpath");
      JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(in);
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("name").asText().equals(version) && v.path("schema").has("openAPIV3Schema")) {
          return new OpenApiSchema(v.path("schema").path("openAPIV3Schema"));
        }
      }
      JsonNode legacy = crd.path("spec").path("validation").path("openAPIV3Schema");
      if (!legacy.isMissingNode()) return new OpenApiSchema(legacy);
      throw new IOException(resource + " has no openAPIV3Schema for version " + version);
    }
  }

  /** Every violation of {@code value} against the schema, each with its JSON path; empty when valid. */
  public List<String> validate(JsonNode value, String path) {
    List<String> errors = new ArrayList<>();
    check(root, value, path, errors);
    return errors;
  }

  /** The schema at a property path below the root (e.g. "spec"), or null. */
  public OpenApiSchema property(String... names) {
    JsonNode n = root;
    for (String name : names) {
      n = n.path("properties").path(name);
      if (n.isMissingNode()) return null;
    }
    return new OpenApiSchema(n);
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (value == null || value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) errors.add(path + ": null (an empty value is dropped, not set)");
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) errors.add(path + ": expected an integer or a string, got " + describe(value));
      return;
    }
    for (String combinator : List.of("anyOf", "oneOf")) {
      if (schema.has(combinator)) {
        int matching = 0;
        for (JsonNode branch : schema.get(combinator)) {
          List<String> e = new ArrayList<>();
          check(branch, value, path, e);
          if (e.isEmpty()) matching++;
        }
        if (matching == 0 || (combinator.equals("oneOf") && matching > 1)) {
          errors.add(path + ": matches " + matching + " of the " + combinator + " alternatives");
        }
      }
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(schema, value, path, errors);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(path + ": expected an array, got " + describe(value));
          return;
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < value.size(); i++) {
          if (!items.isMissingNode()) check(items, value.get(i), path + "[" + i + "]", errors);
        }
      }
      case "string" -> {
        if (!value.isTextual()) errors.add(path + ": expected a string, got " + describe(value) + " (quote it)");
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) errors.add(path + ": expected an integer, got " + describe(value));
      }
      case "number" -> {
        if (!value.isNumber()) errors.add(path + ": expected a number, got " + describe(value));
      }
      case "boolean" -> {
        if (!value.isBoolean()) errors.add(path + ": expected true or false, got " + describe(value));
      }
      case "" -> {
        if (schema.has("properties")) checkObject(schema, value, path, errors);
      }
      default -> errors.add(path + ": the schema has an unknown type " + type);
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) listed |= allowed.equals(value);
      if (!listed) errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
        errors.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
      }
      if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
        errors.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
      }
    }
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (!value.isObject()) {
      errors.add(path + ": expected an object, got " + describe(value));
      return;
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) errors.add(path + ": missing required field " + required.asText());
    }
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String at = path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), at, errors);
      } else if (additional.isObject()) {
        check(additional, field.getValue(), at, errors);
      } else if (additional.asBoolean(false) || preserve) {
        continue;
      } else {
        errors.add(at + ": unknown field (the schema declares " + (properties.isEmpty() ? "no fields here" : fieldNames(properties)) + ")");
      }
    }
  }

  private static String fieldNames(JsonNode properties) {
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return names.size() > 12 ? names.subList(0, 12) + " and " + (names.size() - 12) + " more" : names.toString();
  }

  private static String describe(JsonNode v) {
    if (v.isTextual()) return "the string \"" + v.asText() + "\"";
    if (v.isNumber()) return "the number " + v;
    if (v.isBoolean()) return "the boolean " + v;
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    return v.getNodeType().toString();
  }
}
