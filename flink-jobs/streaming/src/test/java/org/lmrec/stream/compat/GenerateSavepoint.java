package org.lmrec.stream.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.stream.compat.CompatScenario.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.experiment.ArmAssigner;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentJson;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.flink.announce.TestKeys;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;
import org.lmrec.flink.announce.ModelUpdates;
import org.lmrec.flink.announce.AnnouncementSigner;

/**
 * Takes the savepoint that {@link SavepointCompatibilityITCase} restores: the real job (all
 * endpoints, an experiment topic, RocksDB, parallelism 2) on a MiniCluster against an in-process
 * broker, fed a signed model announcement per line, an experiment and the users' events, then
 * stopped with a canonical savepoint. Not a test: its name matches no surefire include, and it runs
 * only when named and given a target folder:
 *
 * <pre>
 * ./mvnw -B -o -q -pl flink-jobs/streaming -am test -Dtest=GenerateSavepoint -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dlmrec.savepoint.generate=$PWD/flink-jobs/streaming/src/test/resources/savepoints/bb444d5
 * </pre>
 *
 * Writes there {@code savepoint/} (the savepoint), {@code models/} (the artifacts its scorer state
 * points to, under {@link CompatScenario#MODEL_ROOT}) and {@code scenario.properties} (source
 * offsets, each user's event ids, history, arm and last recommendation).
 */
@EnabledIfSystemProperty(named = "lmrec.savepoint.generate", matches = ".+")
class GenerateSavepoint {
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

  @TempDir Path work;

  final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
  final AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);

  @Test
  void generate() throws Exception {
    Path target = Path.of(System.getProperty("lmrec.savepoint.generate")).toAbsolutePath();
    deleteTree(MODEL_ROOT);
    ModelArtifact v1 = TestModels.write(MODEL_ROOT, "v1", ModelKind.SASREC, ITEMS, 1);
    ModelArtifact v2 = TestModels.write(MODEL_ROOT, "v2", ModelKind.GRU4REC, ITEMS, 2);
    ModelArtifact v3 = TestModels.write(MODEL_ROOT, "v3", ModelKind.SASREC, ITEMS, 3);
    AnnouncementSigner signer = TestKeys.signer(work.resolve("keys"), "publisher", 1);
    Experiment experiment = ExperimentJson.parse(EXPERIMENT);
    ArmAssigner assigner = new ArmAssigner();
    Map<String, String> armModel = Map.of("control", "v2", "candidate", "v3");

    try (InProcessKafka kafka = new InProcessKafka(work.resolve("kafka"))) {
      for (String t : List.of(IN, OUT, EXPOSURES)) kafka.createTopic(t, 2, false);
      for (String t : List.of(DLQ, RESULTS)) kafka.createTopic(t, 1, false);
      kafka.createTopic(MODELS, 1, true);
      kafka.createTopic(EXPERIMENTS, 1, true);
      // Known before the job starts: the experiment, v2 on the default line, v3 on line "candidate".
      kafka.send(EXPERIMENTS, EXPERIMENT_ID.getBytes(StandardCharsets.UTF_8), EXPERIMENT.getBytes(StandardCharsets.UTF_8));
      AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
      kafka.send(MODELS, "main".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(ModelUpdates.of(v2))));
      kafka.send(MODELS, "candidate".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(ModelUpdates.of(v3, "candidate"))));

      Configuration options = options(kafka.bootstrapServers(), work, work.resolve("keys"));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
      new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
      JobClient job = env.executeAsync("lmrec savepoint generator");
      boolean stopped = false;
      try {
        // 1. Probe users, one per (scorer subtask, arm), until each is answered inside the
        // experiment by its arm's model: then both subtasks know the experiment and both lines.
        List<String> probes = probeUsers(experiment, assigner);
        Map<String, Recommendation> byId = new HashMap<>();
        int sent = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
          List<String> round = new ArrayList<>();
          for (String p : probes) {
            String id = "probe-" + (++sent);
            kafka.send(IN, p.getBytes(StandardCharsets.UTF_8), events.encode(event(id, p, TestModels.itemId(1 + sent % ITEMS), BASE_TIME - 3_600_000L + sent * 100L)));
            round.add(id);
          }
          readInto(kafka, byId, round);
          boolean ready = round.stream().map(byId::get).allMatch(r -> EXPERIMENT_ID.equals(str(r.getExperimentId()))
              && armModel.get(str(r.getExperimentArm())).equals(str(r.getModelVersion())));
          if (ready) break;
          if (System.nanoTime() > deadline) throw new AssertionError("the experiment and both model lines never served every probe: " + byId.values());
          Thread.sleep(200);
        }

        // 2. The users' events, in rounds; each one's recommendation must be its arm's model's top 5 for its history so far.
        Map<String, List<String>> history = new LinkedHashMap<>();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        Map<String, List<String>> expected = new HashMap<>();
        List<String> all = new ArrayList<>();
        long time = BASE_TIME;
        for (int round = 0; round < ROUNDS; round++) {
          for (int u = 0; u < USERS.size(); u++) {
            String user = USERS.get(u);
            String id = "sp-" + user + "-" + round;
            String item = TestModels.itemId(1 + (round * 7 + u * 11) % ITEMS);
            time += 1000;
            kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), events.encode(event(id, user, item, time)));
            history.computeIfAbsent(user, x -> new ArrayList<>()).add(item);
            ids.computeIfAbsent(user, x -> new ArrayList<>()).add(id);
            String arm = assigner.arm(experiment, user).orElseThrow();
            expected.put(id, expectedItems(MODEL_ROOT.resolve(armModel.get(arm)), history.get(user)));
            all.add(id);
          }
        }
        readInto(kafka, byId, all);
        Properties scenario = new Properties();
        for (String user : USERS) {
          String arm = assigner.arm(experiment, user).orElseThrow();
          for (String id : ids.get(user)) {
            Recommendation r = byId.get(id);
            assertThat(str(r.getExperimentArm())).as(id).isEqualTo(arm);
            assertThat(str(r.getModelVersion())).as(id).isEqualTo(armModel.get(arm));
            assertThat(items(r)).as(id).isEqualTo(expected.get(id));
          }
          Recommendation last = byId.get(ids.get(user).get(ROUNDS - 1));
          scenario.setProperty("user." + user + ".events", String.join(",", ids.get(user)));
          scenario.setProperty("user." + user + ".history", String.join(",", history.get(user)));
          scenario.setProperty("user." + user + ".arm", arm);
          scenario.setProperty("user." + user + ".model", str(last.getModelVersion()));
          scenario.setProperty("user." + user + ".last-recommendation", String.join(",", items(last)));
        }
        assertThat(USERS.stream().map(u -> assigner.arm(experiment, u).orElseThrow()).distinct()).as("arms of the users").hasSize(2);
        scenario.setProperty("users", String.join(",", USERS));
        scenario.setProperty("last-event-time", String.valueOf(time));
        scenario.setProperty("probe-users", String.join(",", probes));
        scenario.setProperty("probe-events", String.valueOf(sent));
        for (ModelArtifact m : List.of(v1, v2, v3)) scenario.setProperty("model." + m.version() + ".manifest-sha256", m.manifestSha256());

        // 3. Every accepted event archived (its files committed by a checkpoint), so the archive
        // sink holds no open bucket at the savepoint, only state without file paths.
        int accepted = sent + all.size();
        awaitArchive(work.resolve("archive"), accepted);
        awaitCompletedCheckpoints(METRICS, job.getJobID(), 2, Duration.ofMinutes(3));

        // 4. Stop with a savepoint, then record the input offsets it resumes from.
        Path savepoints = work.resolve("savepoints");
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(5, java.util.concurrent.TimeUnit.MINUTES);
        stopped = true;
        for (var topic : INPUT_TOPICS.entrySet()) {
          for (int p = 0; p < topic.getValue(); p++) {
            scenario.setProperty("offsets." + topic.getKey() + "." + p, String.valueOf(endOffset(kafka, topic.getKey(), p)));
          }
        }
        Path savepointDir = Path.of(java.net.URI.create(savepoint));
        deleteTree(target.resolve("savepoint"));
        deleteTree(target.resolve("models"));
        copyTree(savepointDir, target.resolve("savepoint"));
        copyTree(MODEL_ROOT, target.resolve("models"));
        store(scenario, target.resolve("scenario.properties"), "written by GenerateSavepoint with the savepoint in savepoint/; read by SavepointCompatibilityITCase");
        System.out.println("savepoint " + savepoint + " copied to " + target);
      } finally {
        if (!stopped) job.cancel().get();
      }
    }
  }

  /** One user per (scorer subtask, arm): the scorer subtask of a user is its key's subtask (the sequence operator forwards to it). */
  static List<String> probeUsers(Experiment experiment, ArmAssigner assigner) {
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
    Map<String, String> chosen = new LinkedHashMap<>();
    for (int i = 0; chosen.size() < 2 * PARALLELISM; i++) {
      String user = "probe-user-" + i;
      String combo = KeyGroupRangeAssignment.assignKeyToParallelOperator(user, maxParallelism, PARALLELISM) + "/" + assigner.arm(experiment, user).orElseThrow();
      chosen.putIfAbsent(combo, user);
    }
    return List.copyOf(chosen.values());
  }

  private void readInto(InProcessKafka kafka, Map<String, Recommendation> byId, List<String> ids) throws Exception {
    for (ConsumerRecord<byte[], byte[]> r : kafka.readUntil(OUT, Duration.ofMinutes(5), records -> {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (var x : records) seen.add(str(recs.decode(x.value()).getTriggeringEventId()));
      return seen.containsAll(ids);
    })) {
      Recommendation rec = recs.decode(r.value());
      byId.put(str(rec.getTriggeringEventId()), rec);
    }
  }


  private static long endOffset(InProcessKafka kafka, String topic, int partition) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, partition);
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  private static void awaitArchive(Path base, int expected) throws Exception {
    if (!poll(() -> archivedUnchecked(base) >= expected, Duration.ofMinutes(3))) {
      throw new AssertionError("archive holds " + archived(base) + " of " + expected + " events");
    }
  }

  private static int archivedUnchecked(Path base) {
    try {
      return archived(base);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the archive under " + base, e);
    }
  }

  private static int archived(Path base) throws Exception {
    if (!Files.isDirectory(base)) return 0;
    int n = 0;
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        try (var reader = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(InteractionEvent.class))) {
          for (InteractionEvent ignored : reader) n++;
        }
      }
    }
    return n;
  }

  static List<String> items(Recommendation r) {
    return r.getItems().stream().map(ScoredItem::getItemId).map(CompatScenario::str).toList();
  }
}
