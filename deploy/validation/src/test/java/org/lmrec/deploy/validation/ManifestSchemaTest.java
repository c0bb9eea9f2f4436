package org.lmrec.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest of deploy/k8s passes its schema (the operator's CRD, fabric8's and Strimzi's
 * models), and every deliberately bad manifest under {@code bad-manifests/} is refused with the
 * reason its {@code # expect:} line names: the validator can fail, for each rule it claims.
 */
class ManifestSchemaTest {
  static final ManifestValidator VALIDATOR = new ManifestValidator();

  static List<Manifests.Manifest> deployed() throws IOException {
    return Manifests.load(Repo.k8s());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deployedNames")
  void deployedManifestIsValid(String where, Manifests.Manifest m) {
    assertThat(VALIDATOR.validate(m)).as(where).isEmpty();
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> deployedNames() throws IOException {
    return deployed().stream().map(m -> org.junit.jupiter.params.provider.Arguments.of(m.where(), m));
  }

  @Test
  void theManifestsCoverTheDeployment() throws IOException {
    List<String> kinds = deployed().stream().map(Manifests.Manifest::kind).toList();
    assertThat(kinds).contains("FlinkDeployment", "CronJob", "PodMonitor", "Secret", "ServiceAccount", "Role", "RoleBinding");
    assertThat(kinds.stream().filter("KafkaTopic"::equals)).hasSize(4);
  }

  @Test
  void operatorCrdKnowsFlinkOnlyUpTo1_20() {
    // Why flink-deployment.yaml says v1_20 for a Flink 2.2 image (README.md): this CRD's enum.
    var versions = new ArrayList<String>();
    VALIDATOR.flinkDeploymentSchema().property("spec", "flinkVersion").root().path("enum").forEach(v -> versions.add(v.asText()));
    assertThat(versions).contains("v1_20").noneMatch(v -> v.startsWith("v2"));
  }

  static Stream<Path> badManifests() throws IOException {
    Path dir = Path.of("src/test/resources/bad-manifests");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(files).hasSizeGreaterThanOrEqualTo(20);
      return files.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badManifests")
  void badManifestIsRefused(Path file) throws IOException {
    String expect = Files.readAllLines(file).get(0).replaceFirst("^# expect: ", "");
    List<String> errors = new ArrayList<>();
    try {
      for (Manifests.Manifest m : Manifests.loadFile(file)) errors.addAll(VALIDATOR.validate(m));
    } catch (IOException refusedAsYaml) {
      errors.add(refusedAsYaml.getMessage());
    }
    assertThat(errors).as("refusals of %s", file.getFileName()).anyMatch(e -> e.contains(expect));
  }
}
