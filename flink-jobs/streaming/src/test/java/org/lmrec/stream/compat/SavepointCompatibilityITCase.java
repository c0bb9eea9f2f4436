package org.lmrec.stream.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.stream.compat.CompatScenario.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.flink.announce.TestKeys;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;

/**
 * Restores the savepoint taken with the job at commit bb444d5 (resources savepoints/bb444d5, made by
 * {@link GenerateSavepoint}) into the current job, with every operator's state required to map
 * (allowNonRestoredState false), on a MiniCluster with RocksDB against a fresh in-process broker.
 * The broker's input partitions are first filled with undecodable records up to the offsets the
 * savepoint resumes from, so a restored source reads none of them while a job without the
 * savepoint would read them all (as dead letters). Then each user sends two of their events from
 * before the savepoint again, one new event and an undecodable marker, and the test checks what
 * only the restored state explains:
 *
 * <ul>
 *   <li>the new event's recommendation is the top 5 of the user's arm model for the history from
 *       before the savepoint plus the new item (user-sequences keyed state);
 *   <li>the resent event ids are dropped, counted as duplicates, and get no recommendation (dedup
 *       hashes in that state);
 *   <li>the default line serves v2 and line "candidate" v3, announced only before the savepoint, not
 *       the configured initial v1 (scorer's served-model-pointer union state);
 *   <li>recommendations carry the experiment, whose definition was sent only before the savepoint
 *       (broadcast state "experiments"), with each user's recorded arm;
 *   <li>each user's pending exposure from before the savepoint closes on the new event (exactly one
 *       outcome per user: exposure-outcomes keyed state);
 *   <li>no dead letter but the markers: no source re-read its topic (Kafka source split offsets).
 * </ul>
 */
class SavepointCompatibilityITCase {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

  static final Duration WAIT = Duration.ofMinutes(5);

  @TempDir Path work;

  final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
  final AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
  final AvroCodec<DeadLetter> deadLetters = AvroCodec.of(DeadLetter.class);

  @Test
  void theSavepointOfBb444d5RestoresWithEveryOperatorsState() throws Throwable {
    Path resource = Path.of(getClass().getResource("/" + RESOURCE + "/scenario.properties").toURI()).getParent();
    Properties scenario = load(resource.resolve("scenario.properties"));
    for (String v : List.of("v1", "v2", "v3")) installModel(resource.resolve("models").resolve(v), MODEL_ROOT.resolve(v));
    Path savepoint = work.resolve("savepoint");
    copyTree(resource.resolve("savepoint"), savepoint);
    TestKeys.write(work.resolve("keys"), "publisher", 1); // the job trusts a key; nothing is announced in this run

    try (InProcessKafka kafka = new InProcessKafka(work.resolve("kafka"));
        KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      for (String t : List.of(IN, OUT, EXPOSURES)) kafka.createTopic(t, 2, false);
      for (String t : List.of(DLQ, RESULTS)) kafka.createTopic(t, 1, false);
      kafka.createTopic(MODELS, 1, true);
      kafka.createTopic(EXPERIMENTS, 1, true);
      for (var topic : INPUT_TOPICS.entrySet()) {
        for (int p = 0; p < topic.getValue(); p++) {
          long offset = Long.parseLong(scenario.getProperty("offsets." + topic.getKey() + "." + p));
          for (long i = 0; i < offset; i++) {
            producer.send(new ProducerRecord<>(topic.getKey(), p, bytes("filler-" + topic.getKey() + "-" + p + "-" + i), new byte[] {(byte) 0xde, (byte) 0xad})).get();
          }
        }
      }

      Configuration options = options(kafka.bootstrapServers(), work, work.resolve("keys"));
      Configuration flink = StreamingJob.flinkSettings(options);
      flink.setString("restart-strategy.type", "none"); // a failure to restore fails the job, and the test with its cause
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
      new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
      StreamGraph graph = env.getStreamGraph();
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint.toUri().toString(), false));
      JobClient job = env.executeAsync(graph);
      try {
        awaitRunning(job);
        awaitRestoredModels(job.getJobID());
        List<String> users = list(scenario, "users");
        long time = Long.parseLong(scenario.getProperty("last-event-time"));
        Map<String, String> newItem = new HashMap<>();
        Set<String> resent = new HashSet<>();
        List<String> fresh = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
          String user = users.get(u);
          List<String> ids = list(scenario, "user." + user + ".events");
          List<String> history = list(scenario, "user." + user + ".history");
          for (int i : new int[] {0, ids.size() - 1}) {
            send(producer, IN, user, events.encode(event(ids.get(i), user, history.get(i), time)));
            resent.add(ids.get(i));
          }
          String item = "item-" + (ITEMS - u);
          newItem.put(user, item);
          String id = "after-restore-" + user;
          time += 1000;
          send(producer, IN, user, events.encode(event(id, user, item, time)));
          fresh.add(id);
          String marker = "marker-" + user;
          producer.send(new ProducerRecord<>(IN, null, bytes(user), bytes(marker))).get(); // undecodable: a dead letter keyed by the user
          markers.add(marker);
        }

        // Every new event answered and every marker dead-lettered; then two more completed
        // checkpoints, which flush the sinks: whatever the records before them produced is written.
        awaitRecommendations(kafka, fresh);
        kafka.readUntil(DLQ, WAIT, all -> all.stream().map(r -> deadLetterValue(r)).collect(Collectors.toSet()).containsAll(markers));
        awaitCounter(job.getJobID(), "lmrecExposureOutcomes", users.size());
        awaitCompletedCheckpoints(METRICS, job.getJobID(), 2, WAIT);

        Map<String, Recommendation> byId = new HashMap<>();
        for (var r : kafka.readToEnd(OUT, "read_committed", WAIT, all -> true)) {
          Recommendation rec = recs.decode(r.value());
          assertThat(byId.put(str(rec.getTriggeringEventId()), rec)).as("second recommendation for %s", rec.getTriggeringEventId()).isNull();
        }
        List<String> dead = kafka.readToEnd(DLQ, "read_committed", WAIT, all -> true).stream().map(this::deadLetterValue).toList();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(byId.keySet()).as("triggering events of all recommendations: the new ones, none of the resent ids").containsExactlyInAnyOrderElementsOf(fresh);
        int historyMatters = 0;
        for (String user : users) {
          Recommendation r = byId.get("after-restore-" + user);
          if (r == null) continue;
          String model = scenario.getProperty("user." + user + ".model");
          List<String> before = list(scenario, "user." + user + ".history");
          List<String> history = new ArrayList<>(before);
          history.add(newItem.get(user));
          List<String> expected = expectedItems(MODEL_ROOT.resolve(model), history);
          if (!expected.equals(expectedItems(MODEL_ROOT.resolve(model), List.of(newItem.get(user))))) historyMatters++;
          soft.assertThat(str(r.getModelVersion())).as("model serving %s (restored pointer of its arm's line)", user).isEqualTo(model);
          soft.assertThat(str(r.getExperimentId())).as("experiment of %s (restored broadcast state)", user).isEqualTo(EXPERIMENT_ID);
          soft.assertThat(str(r.getExperimentArm())).as("arm of %s", user).isEqualTo(scenario.getProperty("user." + user + ".arm"));
          soft.assertThat(GenerateSavepoint.items(r)).as("top 5 for %s after %s + %s (restored sequence)", user, before, newItem.get(user)).isEqualTo(expected);
        }
        soft.assertThat(historyMatters).as("users whose expected answer depends on the history before the savepoint").isGreaterThanOrEqualTo(3);
        soft.assertThat(sum(job.getJobID(), "lmrecDuplicates")).as("resent event ids dropped as duplicates").isEqualTo(resent.size());
        soft.assertThat(sum(job.getJobID(), "lmrecExposureOutcomes")).as("pending exposures from before the savepoint closed by the new events").isEqualTo(users.size());
        soft.assertThat(gaugeStrings(METRICS, job.getJobID(), "scorer", "lmrecServingModelVersion")).as("default line served per scorer").hasSize(PARALLELISM).containsOnly("v2");
        soft.assertThat(dead).as("dead letters: only the markers (no source re-read its topic from the start)").containsExactlyInAnyOrderElementsOf(markers);
        soft.assertAll();
      } catch (Throwable t) {
        throw failureOf(job, t);
      } finally {
        if (!job.getJobStatus().get().isGloballyTerminalState()) job.cancel().get();
      }
    }
  }

  /** Waits until the job runs; a job that failed (to restore the savepoint, say) throws its failure. */
  private static void awaitRunning(JobClient job) throws Exception {
    boolean running = poll(() -> {
      JobStatus status = job.getJobStatus().join();
      if (status.isGloballyTerminalState()) throw new AssertionError("the restored job ended " + status + " before running");
      return status == JobStatus.RUNNING;
    }, WAIT);
    if (!running) throw new AssertionError("the restored job is not running after " + WAIT);
  }

  /** {@code t}, or, when the job has failed meanwhile (its failure explains {@code t}), the job's failure with {@code t} suppressed. */
  private static Throwable failureOf(JobClient job, Throwable t) {
    try {
      if (job.getJobStatus().get() != JobStatus.FAILED) return t;
      job.getJobExecutionResult().get();
      return t;
    } catch (java.util.concurrent.ExecutionException failed) {
      AssertionError e = new AssertionError("the restored job failed: " + failed.getCause(), failed.getCause());
      e.addSuppressed(t);
      return e;
    } catch (Exception other) {
      t.addSuppressed(other);
      return t;
    }
  }

  /** Copies the committed artifact to where the savepoint's pointers say it is, unless an identical copy is there already. */
  static void installModel(Path from, Path to) throws Exception {
    if (sameFiles(from, to)) return;
    Files.createDirectories(to.getParent());
    Path staged = to.resolveSibling(to.getFileName() + ".staged-" + UUID.randomUUID());
    copyTree(from, staged);
    deleteTree(to);
    Files.move(staged, to, StandardCopyOption.ATOMIC_MOVE);
  }

  private static boolean sameFiles(Path a, Path b) throws Exception {
    if (!Files.isDirectory(b)) return false;
    try (Stream<Path> fa = Files.walk(a); Stream<Path> fb = Files.walk(b)) {
      List<String> la = fa.filter(Files::isRegularFile).map(p -> a.relativize(p).toString()).sorted().toList();
      List<String> lb = fb.filter(Files::isRegularFile).map(p -> b.relativize(p).toString()).sorted().toList();
      if (!la.equals(lb)) return false;
      for (String f : la) if (Files.mismatch(a.resolve(f), b.resolve(f)) != -1) return false;
      return true;
    }
  }

  private void awaitRecommendations(InProcessKafka kafka, List<String> ids) throws Exception {
    Function<ConsumerRecord<byte[], byte[]>, String> trigger = r -> str(recs.decode(r.value()).getTriggeringEventId());
    kafka.readUntil(OUT, WAIT, all -> all.stream().map(trigger).collect(Collectors.toSet()).containsAll(ids));
  }

  private String deadLetterValue(ConsumerRecord<byte[], byte[]> r) {
    DeadLetter d = deadLetters.decode(r.value());
    return d.getRawValue() == null ? "" : StandardCharsets.UTF_8.decode(d.getRawValue().duplicate()).toString();
  }

  private static long sum(JobID job, String metric) {
    return METRICS.findMetrics(job, metric).values().stream().mapToLong(CompatScenario::value).sum();
  }

  /**
   * Until every scorer has loaded both restored models: the default line's loads before the task
   * runs, line "candidate" loads in the background, and until then its arm's users get the default
   * model outside the experiment (by design), which would fail the checks on arms for no fault of
   * the restore. Each load that swaps in counts in lmrecModelSwaps.
   */
  private static void awaitRestoredModels(JobID job) throws Exception {
    boolean loaded = poll(() -> {
      Map<String, Long> swaps = perSubtask(METRICS, job, "scorer", "lmrecModelSwaps");
      return swaps.size() == PARALLELISM && swaps.values().stream().allMatch(n -> n >= 2);
    }, WAIT);
    if (!loaded) {
      throw new AssertionError("the scorers did not load both restored models within " + WAIT + ": lmrecModelSwaps "
          + perSubtask(METRICS, job, "scorer", "lmrecModelSwaps") + ", refusals " + perSubtask(METRICS, job, "scorer", "lmrecModelRefusals"));
    }
  }

  /** Until the counter reaches {@code atLeast} or the wait ends; the soft assertions after it say what was missing. */
  private static void awaitCounter(JobID job, String metric, long atLeast) throws Exception {
    poll(() -> sum(job, metric) >= atLeast, WAIT);
  }


  private static KafkaProducer<byte[], byte[]> producer(InProcessKafka kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "0");
    return new KafkaProducer<>(p);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, bytes(key), value)).get();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
