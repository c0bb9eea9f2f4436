package org.lmrec.stream.compat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.StreamingOptions;

/**
 * What {@link GenerateSavepoint} ran to take the committed savepoint and what
 * {@link SavepointCompatibilityITCase} restores it into: topic names, settings, the model root and
 * the experiment. The savepoint records topic-partitions (Kafka source splits), model artifact URIs
 * under {@link #MODEL_ROOT} and the settings' consequences (state TTL), so none of these may change
 * while that savepoint is in use. Everything observed at generation time (offsets, histories, arms)
 * is written to {@code scenario.properties} next to the savepoint, not recomputed here.
 */
final class CompatScenario {
  private CompatScenario() {}

  /** The commit the savepoint was taken at; also the resource folder's name. */
  static final String NAME = "bb444d5";
  static final String RESOURCE = "savepoints/" + NAME;

  /**
   * Where the model artifacts lie. The savepoint's scorer state holds their URIs (file:///tmp/...),
   * so the restore test copies the committed artifacts back here: fixed, not java.io.tmpdir (which
   * surefire points into target/).
   */
  static final Path MODEL_ROOT = Path.of("/tmp/lmrec-savepoint-compat/" + NAME + "/models");

  static final int ITEMS = 50;
  static final int PARALLELISM = 2;
  static final String IN = "interactions";
  static final String OUT = "recommendations";
  static final String DLQ = "dead-letters";
  static final String MODELS = "model-updates";
  static final String EXPERIMENTS = "experiments";
  static final String EXPOSURES = "exposures";
  static final String RESULTS = "experiment-results";
  /** Input topics whose source offsets are in the savepoint, with their partition counts. */
  static final Map<String, Integer> INPUT_TOPICS = Map.of(IN, 2, MODELS, 1, EXPERIMENTS, 1);

  static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin");
  static final int ROUNDS = 6;
  static final long BASE_TIME = 1_700_000_000_000L;
  static final String EXPERIMENT_ID = "rank-ab";
  static final String EXPERIMENT = """
      {"id": "rank-ab", "version": 1, "salt": "compat-salt",
       "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                {"name": "candidate", "weight": 50, "model": {"line": "candidate"}}],
       "start": "2020-01-01T00:00:00Z"}
      """;
  /** Far beyond any test run: the savepoint's keyed state and processing-time timers must not expire before it is restored. */
  static final Duration LONG = Duration.ofDays(36_500);

  /** The job's settings in both runs; {@code work} holds what is not state (checkpoints, archive, reports). */
  static Configuration options(String bootstrapServers, Path work, Path trustedKeys) {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, bootstrapServers);
    o.set(StreamingOptions.INTERACTIONS_TOPIC, IN);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, OUT);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, DLQ);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, MODELS);
    o.set(StreamingOptions.EXPERIMENTS_TOPIC, EXPERIMENTS);
    o.set(StreamingOptions.EXPOSURES_TOPIC, EXPOSURES);
    o.set(StreamingOptions.EXPERIMENT_RESULTS_TOPIC, RESULTS);
    o.set(StreamingOptions.EXPERIMENT_REPORT_DIR, work.resolve("reports").toString());
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-compat");
    o.set(StreamingOptions.INITIAL_MODEL, MODEL_ROOT.resolve("v1").toString());
    o.set(StreamingOptions.ARTIFACT_ROOTS, List.of(MODEL_ROOT.toString()));
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(trustedKeys.toString()));
    o.set(StreamingOptions.ARCHIVE_PATH, work.resolve("archive").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.TOP_K, 5);
    o.set(StreamingOptions.PARALLELISM, PARALLELISM);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    o.set(StreamingOptions.OUTCOME_HORIZON_EVENTS, 1);
    o.set(StreamingOptions.LOOK_INTERVAL, Duration.ofSeconds(10));
    o.set(StreamingOptions.STATE_TTL, LONG);
    o.set(StreamingOptions.EXPERIMENT_STATISTICS_RETENTION, LONG);
    return o;
  }

  static String str(Object o) {
    return o == null ? null : o.toString();
  }

  static InteractionEvent event(String id, String user, String item, long time) {
    return InteractionEvent.newBuilder().setEventId(id).setUserId(user).setItemId(item).setEventType(EventType.CLICK)
        .setEventTime(Instant.ofEpochMilli(time)).build();
  }

  /** The top 5 of {@code model} (an artifact folder) for {@code history}, as the scorer computes it. */
  static List<String> expectedItems(Path model, List<String> history) {
    ServingModel m = ServingModel.fromArtifact(ArtifactReader.load(model));
    return List.of(new BatchRecommender(m, 5).recommend(List.<String[]>of(history.toArray(new String[0]))).get(0).itemIds());
  }

  static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  /** Writes {@code p} sorted by key, one "key=value" a line (values here are ids, numbers and URIs: nothing to escape). */
  static void store(Properties p, Path file, String comment) throws IOException {
    StringBuilder b = new StringBuilder("# ").append(comment).append('\n');
    new TreeMap<>(p).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  static List<String> list(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) throw new IllegalStateException("scenario.properties has no " + key);
    return v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  /** Per subtask of operator {@code operatorName} (as in the metric id), the metric's value; missing until registered. */
  static Map<String, Long> perSubtask(InMemoryReporter metrics, JobID job, String operatorName, String metric) {
    Map<String, Long> out = new TreeMap<>();
    metrics.findMetrics(job, metric).forEach((id, m) -> {
      if (id.contains("." + operatorName + ".")) out.put(id, value(m));
    });
    return out;
  }

  static List<String> gaugeStrings(InMemoryReporter metrics, JobID job, String operatorName, String metric) {
    List<String> out = new ArrayList<>();
    metrics.findMetrics(job, metric).forEach((id, m) -> {
      if (id.contains("." + operatorName + ".")) out.add(String.valueOf(((Gauge<?>) m).getValue()));
    });
    return out;
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code wait} has passed; whether it held. The one wait loop of these tests. */
  static boolean poll(BooleanSupplier condition, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(100);
    }
    return true;
  }

  /** Until {@code more} checkpoints complete after the first look at the count (the file sink commits on checkpoints). */
  static void awaitCompletedCheckpoints(InMemoryReporter metrics, JobID job, long more, Duration wait) throws InterruptedException {
    long[] start = {-1};
    boolean done = poll(() -> {
      var found = metrics.findMetrics(job, "numberOfCompletedCheckpoints");
      if (found.isEmpty()) return false;
      long n = found.values().stream().mapToLong(CompatScenario::value).max().orElseThrow();
      if (start[0] < 0) start[0] = n;
      return n >= start[0] + more;
    }, wait);
    if (!done) throw new AssertionError("no " + more + " further completed checkpoints within " + wait);
  }

  static long value(Metric m) {
    if (m instanceof Counter c) return c.getCount();
    if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) return n.longValue();
    throw new AssertionError("not a numeric metric: " + m);
  }
}
