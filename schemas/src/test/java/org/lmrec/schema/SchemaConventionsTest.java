package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The evolution rules from the project's schema policy, checked on every current schema. */
class SchemaConventionsTest {

  @Test
  void everyAvscFileIsListedInSchemas() throws IOException {
    // Surefire runs in the module directory; a forgotten entry would escape the compatibility check.
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(Path.of("src/main/avro"))) {
      list.filter(p -> p.toString().endsWith(".avsc"))
          .forEach(p -> files.add("org.lmrec.schema." + p.getFileName().toString().replace(".avsc", "")));
    }
    Set<String> listed = new TreeSet<>();
    Schemas.current().forEach(s -> listed.add(s.getFullName()));

    assertThat(listed).isEqualTo(files);
  }

  @Test
  void everyNamedTypeAndFieldIsDocumentedAndFollowsTheEvolutionRules() {
    List<String> violations = new ArrayList<>();
    for (Schema schema : Schemas.current()) {
      check(schema, violations, new HashSet<>());
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theCheckCatchesAViolation() {
    Schema bad = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Bad\",\"doc\":\"d\",\"fields\":["
        + "{\"name\":\"a\",\"type\":[\"string\",\"null\"],\"default\":\"x\",\"doc\":\"d\"},"
        + "{\"name\":\"b\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"doc\":\"d\",\"symbols\":[\"X\"]}}]}");
    List<String> violations = new ArrayList<>();

    check(bad, violations, new HashSet<>());

    assertThat(violations).containsExactlyInAnyOrder(
        "Bad.a: optional union must list null first", "Bad.a: optional field must default to null",
        "Bad.b: field has no doc", "E: enum has no default symbol");
  }

  @Test
  void namespaceIsOrgLmrecSchema() {
    assertThat(Schemas.current()).allSatisfy(s -> assertThat(s.getNamespace()).isEqualTo("org.lmrec.schema"));
  }

  private static void check(Schema schema, List<String> violations, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (schema.getDoc() == null) {
          violations.add(schema.getName() + ": record has no doc");
        }
        for (Schema.Field field : schema.getFields()) {
          String where = schema.getName() + "." + field.name();
          if (field.doc() == null) {
            violations.add(where + ": field has no doc");
          }
          Schema type = field.schema();
          if (type.getType() == Schema.Type.UNION && type.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
            if (type.getTypes().get(0).getType() != Schema.Type.NULL) {
              violations.add(where + ": optional union must list null first");
            }
            if (field.defaultVal() != JsonProperties.NULL_VALUE) {
              violations.add(where + ": optional field must default to null");
            }
          }
          check(type, violations, seen);
        }
      }
      case ENUM -> {
        if (schema.getDoc() == null) {
          violations.add(schema.getName() + ": enum has no doc");
        }
        if (schema.getEnumDefault() == null) {
          violations.add(schema.getName() + ": enum has no default symbol");
        }
      }
      case UNION -> schema.getTypes().forEach(t -> check(t, violations, seen));
      case ARRAY -> check(schema.getElementType(), violations, seen);
      case MAP -> check(schema.getValueType(), violations, seen);
      default -> { }
    }
  }
}
