package org.lmrec.stream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.flink.announce.TestKeys;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;

/**
 * The streaming job on a MiniCluster whose metrics go through Flink's own Prometheus reporter
 * ({@code flink-metrics-prometheus}, as configured on a real cluster), against a real Kafka
 * broker: scrapes the HTTP endpoint and finds the lmrec metrics with the values the traffic
 * implies, and every metric the Grafana dashboard ({@value #DASHBOARD}) queries.
 */
class MetricsScrapeITCase {
  /** This test's reporter port range (the helper's range; a busy port moves the reporter up). */
  static final int FIRST_PORT = 19010;
  static final int LAST_PORT = 19019;
  static final String DASHBOARD = "deploy/k8s/grafana/lmrec-dashboard.json";
  static final String IN = StreamingOptions.INTERACTIONS_TOPIC.defaultValue();
  static final int GOOD = 12;
  static final int BAD = 4;

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(reporter()).build());

  @TempDir static Path dir;
  static InProcessKafka kafka;
  static ModelArtifact v1;

  static Configuration reporter() {
    Configuration c = new Configuration();
    c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    c.setString("metrics.reporter.prom.port", FIRST_PORT + "-" + LAST_PORT);
    return c;
  }

  @BeforeAll
  static void start() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
    // the job's default topic names, as the manifests create them
    kafka.createTopic(IN, 2, false);
    kafka.createTopic(StreamingOptions.RECOMMENDATIONS_TOPIC.defaultValue(), 2, false);
    kafka.createTopic(StreamingOptions.DEAD_LETTERS_TOPIC.defaultValue(), 1, false);
    kafka.createTopic(StreamingOptions.MODEL_UPDATES_TOPIC.defaultValue(), 1, true);
    v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, 30, 1);
    TestKeys.signer(dir.resolve("keys"), "publisher", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  static Configuration options() {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-metrics-test");
    o.set(StreamingOptions.INITIAL_MODEL, v1.dir().toString());
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(dir.resolve("keys").toString()));
    o.set(StreamingOptions.ARCHIVE_PATH, dir.resolve("archive").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    return o;
  }

  @Test
  void prometheusEndpointServesTheLmrecMetricsAndEveryDashboardMetric() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options()));
    new StreamingJob(options(), KafkaEndpoints.from(options())).build(env);
    JobClient job = env.executeAsync("lmrec metrics scrape test");
    try {
      AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
      for (int i = 0; i < GOOD; i++) {
        String user = "user-" + (i % 3);
        kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId("ev-" + i).setUserId(user).setItemId(TestModels.itemId(1 + i % 30)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)).build()));
      }
      for (int i = 0; i < BAD; i++) kafka.send(IN, null, new byte[] {(byte) 0xde, (byte) 0xad, (byte) i});

      Set<String> dashboard = dashboardMetrics();
      Scrape scrape = Scrape.awaitUntil(FIRST_PORT, LAST_PORT, Duration.ofSeconds(120), s ->
          Scrape.noRestarts(s)
              && s.sum(RECORDS_IN) >= GOOD + BAD
              && s.sum(DEAD_LETTERS) >= BAD
              && s.sum(RECOMMENDATIONS_OUT) >= GOOD
              && s.sum(LATENCY + "_count") >= GOOD
              && s.sum(SERVING_MODEL, "model_version", "v1") >= 1
              && s.sum(COMPLETED_CHECKPOINTS) >= 1
              && s.dashboardMetricsPresent(dashboard));

      assertThat(scrape.sum(RECORDS_IN)).as("records in").isEqualTo(GOOD + BAD);
      assertThat(scrape.sum(DEAD_LETTERS)).as("dead letters").isEqualTo(BAD);
      assertThat(scrape.sum(RECOMMENDATIONS_OUT)).as("recommendations out").isEqualTo(GOOD);
      assertThat(scrape.sum(LATENCY + "_count")).as("latency samples").isEqualTo(GOOD);
      assertThat(scrape.series(LATENCY)).as("latency quantiles").anyMatch(s -> s.labels().contains("quantile=\"0.99\""));
      // one gauge per scorer subtask, labelled with the version it serves
      assertThat(scrape.sum(SERVING_MODEL, "model_version", "v1")).as("scorer subtasks serving v1").isEqualTo(2);
      assertThat(scrape.sum(MODEL_LOAD_FAILURES)).as("model load failures").isZero();
      assertThat(scrape.sum(RESTARTS)).as("restarts").isZero();
      assertThat(scrape.sum(COMPLETED_CHECKPOINTS)).as("completed checkpoints").isPositive();
      assertThat(scrape.names()).as("every metric the dashboard queries").containsAll(dashboard);
    } finally {
      job.cancel().get();
    }
  }

  static final String OP = "flink_taskmanager_job_task_operator_";
  static final String RECORDS_IN = OP + "lmrecRecordsIn";
  static final String DEAD_LETTERS = OP + "lmrecDeadLetters";
  static final String RECOMMENDATIONS_OUT = OP + "lmrecRecommendationsOut";
  static final String LATENCY = OP + "lmrecLatencyMillis";
  static final String SERVING_MODEL = OP + "model_version_lmrecServingModel";
  static final String MODEL_LOAD_FAILURES = OP + "lmrecModelLoadFailures";
  static final String RESTARTS = "flink_jobmanager_job_numRestarts";
  static final String COMPLETED_CHECKPOINTS = "flink_jobmanager_job_numberOfCompletedCheckpoints";

  /** The metric names (series names without the summary suffixes) in the dashboard's queries. */
  static Set<String> dashboardMetrics() throws IOException {
    Path file = repoRoot().resolve(DASHBOARD);
    String json = Files.readString(file);
    Set<String> names = new TreeSet<>();
    var m = java.util.regex.Pattern.compile("flink_[A-Za-z0-9_]+").matcher(json);
    while (m.find()) names.add(m.group());
    assertThat(names).as("metrics in %s", file).isNotEmpty();
    return names;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    return p;
  }

  /** One series of the text exposition format: name, label set as written, value. */
  record Series(String name, String labels, double value) {}

  /** A parsed scrape of the reporter's endpoint. */
  record Scrape(List<Series> all) {
    static Scrape parse(String body) {
      List<Series> out = new java.util.ArrayList<>();
      for (String line : body.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
        String labels = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
        String v = line.substring(space + 1);
        double value = v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
        out.add(new Series(name, labels, value));
      }
      return new Scrape(out);
    }

    /**
     * Scrapes every port of the range until one answers and {@code done} holds, polling every
     * 250 ms; at the deadline fails with the last scrape's lmrec series.
     */
    static Scrape awaitUntil(int first, int last, Duration timeout, java.util.function.Predicate<Scrape> done) throws Exception {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + timeout.toNanos();
      Scrape latest = new Scrape(List.of());
      while (System.nanoTime() < deadline) {
        for (int port = first; port <= last; port++) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("flink_jobmanager")) continue;
            latest = parse(r.body());
            if (done.test(latest)) return latest;
          } catch (IOException notListening) {
            // the reporter opens one port of the range: try the next
          }
        }
        Thread.sleep(250);
      }
      throw new AssertionError("the scrape never showed the expected metrics within " + timeout + "; lmrec series: "
          + latest.all().stream().filter(s -> s.name().contains("lmrec")).map(s -> s.name() + " " + s.value()).distinct().toList()
          + "; missing dashboard metrics: " + missing(latest));
    }

    private static Set<String> missing(Scrape s) {
      try {
        Set<String> m = new TreeSet<>(dashboardMetrics());
        m.removeAll(s.names());
        return m;
      } catch (IOException e) {
        return Set.of("(dashboard unreadable: " + e + ")");
      }
    }

    Set<String> names() {
      Set<String> n = new TreeSet<>();
      all.forEach(s -> n.add(s.name()));
      return n;
    }

    List<Series> series(String name) {
      return all.stream().filter(s -> s.name().equals(name)).toList();
    }

    double sum(String name) {
      return series(name).stream().filter(s -> !Double.isNaN(s.value())).mapToDouble(Series::value).sum();
    }

    double sum(String name, String label, String value) {
      return series(name).stream().filter(s -> s.labels().contains(label + "=\"" + value + "\"")).mapToDouble(Series::value).sum();
    }

    /** True, or fails at once: a restarted job would never reach the expected counts. */
    static boolean noRestarts(Scrape s) {
      if (s.sum(RESTARTS) > 0) throw new AssertionError("the job restarted: " + s.series(RESTARTS));
      return true;
    }

    boolean dashboardMetricsPresent(Set<String> wanted) {
      return names().containsAll(wanted);
    }
  }
}
