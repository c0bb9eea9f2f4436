package org.lmrec.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The names that must agree across deploy/k8s (Dockerfile, build-image.sh, manifests, Grafana
 * dashboard) and the job's sources: a rename on one side breaks this test, not a deployment.
 */
class DeploymentConsistencyTest {
  /** Created by hand, not by these manifests (deploy/k8s/README.md says how). */
  static final Set<String> EXTERNAL_SECRETS = Set.of("lmrec-signing-key");
  static final Set<String> EXTERNAL_CONFIG_MAPS = Set.of("lmrec-trusted-keys");

  static List<Manifests.Manifest> all;
  static JsonNode flink;
  static JsonNode cronJob;
  static JsonNode podMonitor;
  static List<JsonNode> topics;
  static Map<String, String> jobArgs;
  static String dockerfile;
  static String buildScript;

  @BeforeAll
  static void load() throws IOException {
    all = Manifests.load(Repo.k8s());
    flink = only("FlinkDeployment");
    cronJob = only("CronJob");
    podMonitor = only("PodMonitor");
    topics = all.stream().filter(m -> m.kind().equals("KafkaTopic")).map(Manifests.Manifest::doc).toList();
    jobArgs = new HashMap<>();
    for (JsonNode a : flink.path("spec").path("job").path("args")) {
      String s = a.asText();
      assertThat(s).as("job argument").startsWith("-D").contains("=");
      jobArgs.put(s.substring(2, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    dockerfile = Files.readString(Repo.k8s().resolve("Dockerfile"));
    buildScript = Files.readString(Repo.k8s().resolve("build-image.sh"));
  }

  static JsonNode only(String kind) {
    List<JsonNode> found = all.stream().filter(m -> m.kind().equals(kind)).map(Manifests.Manifest::doc).toList();
    assertThat(found).as(kind + " manifests").hasSize(1);
    return found.get(0);
  }

  static String config(String key) {
    return flink.path("spec").path("flinkConfiguration").path(key).asText(null);
  }

  @Test
  void jobJarIsTheOneTheImageCarriesAndTheBuildMakes() throws IOException {
    String jarUri = flink.path("spec").path("job").path("jarURI").asText();
    assertThat(jarUri).startsWith("local:///opt/flink/usrlib/");
    String jar = jarUri.substring(jarUri.lastIndexOf('/') + 1);
    assertThat(dockerfile).contains("COPY --chown=flink:flink usrlib/" + jar + " /opt/flink/usrlib/" + jar);
    assertThat(buildScript).contains("/target/" + jar);
    // The job-jars module names its output (when it is on this branch): the same name.
    Path pom = Repo.root().resolve("flink-jobs/job-jars/streaming-job/pom.xml");
    if (Files.exists(pom)) assertThat(Files.readString(pom)).contains("<job.jar.name>" + jar.replace(".jar", "") + "</job.jar.name>");
    String entry = flink.path("spec").path("job").path("entryClass").asText();
    assertThat(Repo.root().resolve("flink-jobs/streaming/src/main/java/" + entry.replace('.', '/') + ".java")).as("entry class source").exists();
  }

  @Test
  void imageNameAndFlinkBaseImage() {
    Matcher m = Pattern.compile("IMAGE=\\$\\{1:-([^}]+)}").matcher(buildScript);
    assertThat(m.find()).as("default image in build-image.sh").isTrue();
    assertThat(flink.path("spec").path("image").asText()).isEqualTo(m.group(1));
    assertThat(dockerfile).containsPattern("ARG FLINK_IMAGE=flink:2\\.2[.0-9]*-java17").contains("FROM ${FLINK_IMAGE}");
    // The plugins the configuration relies on.
    assertThat(dockerfile).contains("/opt/flink/plugins/s3-fs-hadoop", "/opt/flink/plugins/metrics-prometheus");
    assertThat(config("metrics.reporter.prom.factory.class")).isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  }

  @Test
  void topicsAgreeWithTheJobAndItsDefaults() throws IOException {
    Map<String, String> defaults = new HashMap<>();
    Matcher m = Pattern.compile("key\\(\"(lmrec\\.topic\\.[a-z-]+)\"\\)\\.stringType\\(\\)\\.defaultValue\\(\"([^\"]+)\"\\)")
        .matcher(Files.readString(Repo.root().resolve("flink-jobs/streaming/src/main/java/org/lmrec/stream/StreamingOptions.java")));
    while (m.find()) defaults.put(m.group(1), m.group(2));
    assertThat(defaults).containsKeys("lmrec.topic.interactions", "lmrec.topic.recommendations", "lmrec.topic.dead-letters", "lmrec.topic.model-updates");

    Map<String, String> given = new HashMap<>();
    jobArgs.forEach((k, v) -> {
      if (k.startsWith("lmrec.topic.")) given.put(k, v);
    });
    assertThat(given).as("topics the FlinkDeployment passes = the job's defaults").isEqualTo(defaults);
    Set<String> declared = new TreeSet<>();
    for (JsonNode t : topics) {
      String name = t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText());
      declared.add(name);
      assertThat(t.path("metadata").path("name").asText()).isEqualTo(name);
    }
    assertThat(declared).as("KafkaTopic resources").isEqualTo(new TreeSet<>(given.values()));
    JsonNode updates = topics.stream().filter(t -> t.path("spec").path("topicName").asText().equals(given.get("lmrec.topic.model-updates"))).findFirst().orElseThrow();
    assertThat(updates.path("spec").path("config").path("cleanup.policy").asText()).as("model-updates is compacted").isEqualTo("compact");
  }

  @Test
  void everyJobArgumentIsAnOptionOfTheJob() throws IOException {
    String options = Files.readString(Repo.root().resolve("flink-jobs/streaming/src/main/java/org/lmrec/stream/StreamingOptions.java"));
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("key\\(\"(lmrec\\.[a-z0-9.-]+)\"\\)").matcher(options);
    while (m.find()) keys.add(m.group(1));
    assertThat(keys).hasSizeGreaterThan(20);
    assertThat(keys).as("StreamingOptions keys").containsAll(jobArgs.keySet());
    assertThat(jobArgs.get("lmrec.sink.delivery")).isEqualTo("EXACTLY_ONCE");
    assertThat(Files.readString(Repo.root().resolve("flink-jobs/streaming/src/main/java/org/lmrec/stream/DeliveryMode.java"))).contains("EXACTLY_ONCE");
    assertThat(jobArgs.get("lmrec.parallelism")).isEqualTo(flink.path("spec").path("job").path("parallelism").asText());
  }

  @Test
  void kafkaBootstrapIsTheStrimziClusterOfTheTopics() {
    Set<String> clusters = new TreeSet<>();
    for (JsonNode t : topics) clusters.add(t.path("metadata").path("labels").path("strimzi.io/cluster").asText());
    assertThat(clusters).hasSize(1);
    String bootstrap = clusters.iterator().next() + "-kafka-bootstrap:9092"; // Strimzi's service name
    assertThat(jobArgs.get("lmrec.kafka.bootstrap-servers")).isEqualTo(bootstrap);
    assertThat(retrainArg("--bootstrap-servers")).isEqualTo(bootstrap);
  }

  @Test
  void prometheusPortIsTheSameEverywhere() {
    String port = config("metrics.reporter.prom.port");
    JsonNode main = mainContainer();
    JsonNode metricsPort = null;
    for (JsonNode p : main.path("ports")) if (p.path("name").asText().equals("metrics")) metricsPort = p;
    assertThat(metricsPort).as("container port named metrics").isNotNull();
    assertThat(metricsPort.path("containerPort").asText()).isEqualTo(port);
    assertThat(dockerfile).contains("EXPOSE " + port);
    assertThat(podMonitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("metrics");
    assertThat(podMonitor.path("spec").path("selector").path("matchLabels").path("app").asText())
        .as("the operator labels the pods app=<FlinkDeployment name>").isEqualTo(flink.path("metadata").path("name").asText());
  }

  static JsonNode mainContainer() {
    for (JsonNode c : flink.path("spec").path("podTemplate").path("spec").path("containers")) {
      if (c.path("name").asText().equals("flink-main-container")) return c;
    }
    throw new AssertionError("no flink-main-container in the pod template");
  }

  @Test
  void stateAndDataLiveOnS3AndTheJobUsesTheSamePaths() {
    assertThat(config("execution.checkpointing.dir")).startsWith("s3://").isEqualTo(jobArgs.get("lmrec.checkpoint.dir"));
    assertThat(config("execution.checkpointing.savepoint-dir")).startsWith("s3://");
    assertThat(config("high-availability.storageDir")).startsWith("s3://");
    assertThat(config("high-availability.type")).isEqualTo("kubernetes");
    assertThat(config("state.backend.type")).isEqualTo("rocksdb");
    assertThat(flink.path("spec").path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
    assertThat(config("env.java.opts.all")).contains("--add-modules jdk.incubator.vector");
    // Retraining reads what the job archives and publishes where the job may load from.
    assertThat(retrainArg("--archive")).isEqualTo(jobArgs.get("lmrec.archive.path")).startsWith("s3://");
    assertThat(retrainArg("--artifacts")).isEqualTo(jobArgs.get("lmrec.models.artifact-roots")).startsWith("s3://");
    // the public key file inside the mounted ConfigMap (named, not the folder: the mount also holds ..data links)
    assertThat(jobArgs.get("lmrec.models.trusted-keys")).startsWith(mainContainer().path("volumeMounts").get(0).path("mountPath").asText() + "/").endsWith(".pub");
  }

  static String retrainArg(String flag) {
    List<String> cmd = new ArrayList<>();
    JsonNode c = cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec").path("containers").get(0);
    c.path("command").forEach(n -> cmd.add(n.asText()));
    int i = cmd.indexOf(flag);
    assertThat(i).as("retrain " + flag).isNotNegative();
    return cmd.get(i + 1);
  }

  @Test
  void everyReferencedSecretConfigMapAndServiceAccountExists() throws IOException {
    Set<String> secrets = names("Secret");
    Set<String> accounts = names("ServiceAccount");
    Set<String> refSecrets = new TreeSet<>();
    Set<String> refConfigMaps = new TreeSet<>();
    Set<String> refAccounts = new TreeSet<>();
    for (Manifests.Manifest m : all) {
      collect(m.doc(), refSecrets, refConfigMaps, refAccounts);
      assertThat(m.doc().path("metadata").path("namespace").asText()).as("namespace of %s", m.where()).isEqualTo("lmrec");
    }
    assertThat(refSecrets).contains("lmrec-s3");
    refSecrets.removeAll(EXTERNAL_SECRETS);
    refConfigMaps.removeAll(EXTERNAL_CONFIG_MAPS);
    assertThat(secrets).containsAll(refSecrets);
    assertThat(refConfigMaps).isEmpty();
    assertThat(accounts).containsAll(refAccounts).contains("lmrec-flink", "lmrec-retrain");
    String readme = Files.readString(Repo.k8s().resolve("README.md"));
    for (String external : EXTERNAL_SECRETS) assertThat(readme).as("README says how to create " + external).contains(external);
    for (String external : EXTERNAL_CONFIG_MAPS) assertThat(readme).as("README says how to create " + external).contains(external);
  }

  static Set<String> names(String kind) {
    Set<String> n = new TreeSet<>();
    all.stream().filter(m -> m.kind().equals(kind)).forEach(m -> n.add(m.name()));
    return n;
  }

  /** secretRef/secret/configMap volume references and service accounts, anywhere in a manifest. */
  static void collect(JsonNode n, Set<String> secrets, Set<String> configMaps, Set<String> accounts) {
    if (n.isObject()) {
      if (n.has("secretRef")) secrets.add(n.get("secretRef").path("name").asText());
      if (n.has("secretKeyRef")) secrets.add(n.get("secretKeyRef").path("name").asText());
      if (n.has("secret") && n.get("secret").has("secretName")) secrets.add(n.get("secret").get("secretName").asText());
      if (n.has("configMap") && n.get("configMap").has("name")) configMaps.add(n.get("configMap").get("name").asText());
      if (n.has("configMapRef")) configMaps.add(n.get("configMapRef").path("name").asText());
      if (n.path("serviceAccountName").isTextual()) accounts.add(n.get("serviceAccountName").asText());
      if (n.path("serviceAccount").isTextual()) accounts.add(n.get("serviceAccount").asText());
      n.elements().forEachRemaining(c -> collect(c, secrets, configMaps, accounts));
    } else if (n.isArray()) {
      n.elements().forEachRemaining(c -> collect(c, secrets, configMaps, accounts));
    }
  }

  @Test
  void dashboardMetricsAreRegisteredByTheJob() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(Repo.k8s().resolve("grafana/lmrec-dashboard.json").toFile());
    String sources = jobSources();
    Set<String> lmrecNames = new TreeSet<>();
    int panels = 0;
    for (JsonNode p : dashboard.path("panels")) {
      panels++;
      assertThat(p.path("targets")).as("targets of panel %s", p.path("title").asText()).isNotEmpty();
      for (JsonNode t : p.path("targets")) {
        Matcher m = Pattern.compile("flink_[A-Za-z0-9_]+").matcher(t.path("expr").asText());
        assertThat(m.find()).as("a flink_ metric in %s", t.path("expr").asText()).isTrue();
        m.reset();
        while (m.find()) {
          Matcher l = Pattern.compile("lmrec[A-Z][A-Za-z]+").matcher(m.group());
          while (l.find()) lmrecNames.add(l.group());
          if (m.group().contains("_model_version_")) assertThat(sources).contains("\"model_version\"");
        }
      }
    }
    assertThat(panels).isGreaterThanOrEqualTo(10);
    assertThat(lmrecNames).contains("lmrecRecordsIn", "lmrecRecommendationsOut", "lmrecDeadLetters", "lmrecLatencyMillis", "lmrecServingModel", "lmrecModelLoadFailures");
    for (String name : lmrecNames) assertThat(sources).as("a job source registers %s", name).contains("\"" + name + "\"");
  }

  static String jobSources() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String module : List.of("flink-jobs/streaming", "flink-jobs/common")) {
      try (Stream<Path> s = Files.walk(Repo.root().resolve(module).resolve("src/main/java"))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) all.append(Files.readString(p)).append('\n');
      }
    }
    return all.toString();
  }
}
