package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.EventType;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.TestKeys;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.signing.AnnouncementSigner;

/**
 * The whole streaming job on a Flink MiniCluster with RocksDB, against a real in-process Kafka
 * broker: correct recommendations, dead letters with reasons, a model swap mid-stream without
 * state loss, a corrupt model refused, and the archive.
 */
class StreamingJobITCase {
  static final int ITEMS = 50;
  static final String IN = "interactions";
  static final String OUT = "recommendations";
  static final String DLQ = "dead-letters";
  static final String MODELS = "model-updates";

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir static Path dir;
  static InProcessKafka kafka;
  static ModelArtifact v1;
  static ModelArtifact v2;
  static ModelArtifact v4;
  /** The publisher's key: the job trusts the folder of its public key. */
  static AnnouncementSigner signer;

  final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
  final AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
  final Map<String, List<String>> histories = new HashMap<>();
  int eventCounter;

  @BeforeAll
  static void start() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
    kafka.createTopic(IN, 2, false);
    kafka.createTopic(OUT, 2, false);
    kafka.createTopic(DLQ, 1, false);
    kafka.createTopic(MODELS, 1, true);
    v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, ITEMS, 1);
    v2 = TestModels.write(dir.resolve("models"), "v2", ModelKind.GRU4REC, ITEMS, 2);
    v4 = TestModels.write(dir.resolve("models"), "v4", ModelKind.SASREC, ITEMS, 4);
    signer = TestKeys.signer(dir.resolve("keys"), "publisher", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  private Configuration options() {
    return options("");
  }

  private Configuration options(String topicSuffix) {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    o.set(StreamingOptions.INTERACTIONS_TOPIC, IN + topicSuffix);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, OUT + topicSuffix);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, DLQ + topicSuffix);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, MODELS + topicSuffix);
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-test" + topicSuffix);
    o.set(StreamingOptions.INITIAL_MODEL, v1.dir().toString());
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(dir.resolve("keys").toString()));
    o.set(StreamingOptions.ARCHIVE_PATH, dir.resolve("archive" + topicSuffix).toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints" + topicSuffix).toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.TOP_K, 5);
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    return o;
  }

  private void sendEvent(String user, String item) throws Exception {
    String id = "ev-" + (++eventCounter);
    InteractionEvent e = InteractionEvent.newBuilder()
        .setEventId(id).setUserId(user).setItemId(item).setEventType(EventType.CLICK)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + eventCounter * 1000L)).build();
    kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), events.encode(e));
    histories.computeIfAbsent(user, u -> new ArrayList<>()).add(item);
    expectedHistory.put(id, List.copyOf(histories.get(user)));
  }

  final Map<String, List<String>> expectedHistory = new HashMap<>();

  private List<Recommendation> readRecommendations(int atLeast) throws Exception {
    List<Recommendation> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readUntil(OUT, Duration.ofSeconds(90), all -> all.size() >= atLeast)) {
      out.add(recs.decode(r.value()));
    }
    return out;
  }

  private static List<String> itemIds(Recommendation r) {
    return r.getItems().stream().map(ScoredItem::getItemId).toList();
  }

  private static List<String> expectedItems(ModelArtifact model, List<String> history) {
    ServingModel m = ServingModel.fromArtifact(ArtifactReader.load(model.dir()));
    return List.of(new BatchRecommender(m, 5).recommend(List.<String[]>of(history.toArray(new String[0]))).get(0).itemIds());
  }

  private void announce(ModelArtifact model, String version, String sha) throws Exception {
    ModelUpdate u = ModelUpdate.newBuilder()
        .setModelVersion(version).setArtifactUri(model.dir().toUri().toString()).setManifestSha256(sha)
        .setKind(org.lmrec.schema.ModelKind.SASREC).setCreatedAt(Instant.now()).build();
    kafka.send(MODELS, "line".getBytes(StandardCharsets.UTF_8), AvroCodec.of(ModelUpdate.class).encode(signer.sign(u)));
  }

  /** Sends probe events until a recommendation from {@code version} comes back; returns all recommendations read. */
  private List<Recommendation> probeUntilServing(String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      sendEvent("probe", TestModels.itemId(1 + eventCounter % ITEMS));
      List<Recommendation> all = readRecommendations(expectedHistory.size());
      if (all.stream().anyMatch(r -> r.getModelVersion().equals(version))) return all;
      Thread.sleep(200);
    }
    throw new AssertionError("model " + version + " never served");
  }

  @Test
  void recommendsFromLiveEventsSwapsModelsAndDeadLettersBadInput() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options()));
    new StreamingJob(options(), KafkaEndpoints.from(options())).build(env);
    JobClient job = env.executeAsync("lmrec streaming test");
    try {
      // 1. Good events interleaved with garbage and invalid events.
      List<String> users = List.of("alice", "bob", "carol", "dave");
      int bad = 0;
      for (int round = 0; round < 4; round++) {
        for (int u = 0; u < users.size(); u++) sendEvent(users.get(u), TestModels.itemId(1 + (round * 7 + u * 11) % ITEMS));
        kafka.send(IN, null, new byte[] {(byte) 0xde, (byte) 0xad, (byte) round});
        kafka.send(IN, null, events.encode(InteractionEvent.newBuilder()
            .setEventId("bad-" + round).setUserId("user with spaces").setItemId("x").setEventType(EventType.VIEW)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build()));
        bad += 2;
      }
      sendEvent("alice", "item-never-trained"); // unknown to the model: kept in state, skipped when scoring

      List<Recommendation> phase1 = readRecommendations(expectedHistory.size());
      assertThat(phase1).hasSize(expectedHistory.size());
      for (Recommendation r : phase1) {
        assertThat(r.getModelVersion()).isEqualTo("v1");
        assertThat(itemIds(r)).as("recommendation for %s", r.getTriggeringEventId())
            .isEqualTo(expectedItems(v1, expectedHistory.get(r.getTriggeringEventId())));
      }
      int finalBad = bad;
      List<DeadLetter> dead = new ArrayList<>();
      for (var r : kafka.readUntil(DLQ, Duration.ofSeconds(60), all -> all.size() >= finalBad)) {
        dead.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
      }
      assertThat(dead).hasSize(bad);
      assertThat(dead).filteredOn(d -> d.getReason().contains("whitespace")).hasSize(4);
      assertThat(dead).filteredOn(d -> d.getReason().startsWith("Cannot decode InteractionEvent")).hasSize(4);
      assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(IN));

      // 2. Model update mid-stream: later answers come from v2 and still see the users' earlier events.
      announce(v2, "v2", v2.manifestSha256());
      probeUntilServing("v2");
      Set<String> afterSwap = new HashSet<>();
      for (String user : users) {
        sendEvent(user, "item-3");
        afterSwap.add("ev-" + eventCounter);
      }
      List<Recommendation> phase2 = readRecommendations(expectedHistory.size());
      for (Recommendation r : phase2) {
        if (!afterSwap.contains(r.getTriggeringEventId())) continue;
        assertThat(r.getModelVersion()).isEqualTo("v2");
        List<String> history = expectedHistory.get(r.getTriggeringEventId());
        assertThat(history).hasSizeGreaterThan(4); // the state from before the swap is still there
        assertThat(itemIds(r)).isEqualTo(expectedItems(v2, history));
      }

      // 3. A corrupt announcement is refused; v2 keeps serving until a good one (v4) follows it.
      announce(v2, "v3", "0".repeat(64));
      announce(v4, "v4", v4.manifestSha256());
      List<Recommendation> phase3 = probeUntilServing("v4");
      assertThat(phase3).extracting(Recommendation::getModelVersion).doesNotContain("v3");
      assertThat(phase3).extracting(Recommendation::getModelVersion).containsOnly("v1", "v2", "v4");

      // 4. The archive holds every accepted interaction, partitioned by event date.
      int accepted = expectedHistory.size();
      List<InteractionEvent> archived = waitForArchive(dir.resolve("archive"), accepted);
      assertThat(archived).extracting(InteractionEvent::getEventId).doesNotHaveDuplicates().hasSize(accepted);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Hostile records on every input topic, with restarts switched off: any record that failed a task
   * would fail the job. Each one of them stopped or hijacked the job before (the far-future stop
   * crash-looped it; the hash-less pointer was served).
   */
  @Test
  void hostileRecordsOnEveryInputTopicNeitherStopNorRestartTheJob() throws Exception {
    String suffix = "-hostile";
    for (String topic : List.of(IN, OUT, DLQ)) kafka.createTopic(topic + suffix, 2, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    kafka.createTopic("experiments" + suffix, 1, true);
    Configuration options = options(suffix);
    options.set(StreamingOptions.EXPERIMENTS_TOPIC, "experiments" + suffix);
    String experiment = """
        {"id": "rank-ab", "version": 1, "salt": "s", "start": "2020-01-01T00:00:00Z", "stop": "+300000000-01-01T00:00:00Z",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}}, {"name": "candidate", "weight": 50, "model": {"line": "main"}}]}
        """;
    kafka.send("experiments" + suffix, "rank-ab".getBytes(StandardCharsets.UTF_8), experiment.getBytes(StandardCharsets.UTF_8));
    kafka.send("experiments" + suffix, "k".repeat(5_000).getBytes(StandardCharsets.UTF_8), ("{\"id\": \"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, (byte) 0xff});
    AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
    kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(ModelUpdate.newBuilder().setModelVersion("v2")
        .setArtifactUri(v2.dir().toUri().toString()).setManifestSha256("").setKind(org.lmrec.schema.ModelKind.GRU4REC).setCreatedAt(Instant.now()).build())));
    // A valid artifact with its right hash, but outside the artifact roots (the folder of the initial
    // model): first directly, then through '..' and through a symbolic link inside the roots.
    Path outside = dir.resolve("outside-roots");
    Files.createDirectories(outside);
    Path stray = outside.resolve("v2");
    if (!Files.exists(stray)) copyTree(v2.dir(), stray);
    Path link = v1.dir().getParent().resolve("v2-link");
    if (!Files.exists(link)) Files.createSymbolicLink(link, stray);
    for (String uri : List.of(stray.toUri().toString(), v1.dir().toString() + "/../../outside-roots/v2", link.toString())) {
      kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(ModelUpdate.newBuilder().setModelVersion("v2")
          .setArtifactUri(uri).setManifestSha256(v2.manifestSha256()).setKind(org.lmrec.schema.ModelKind.GRU4REC).setCreatedAt(Instant.now()).build())));
    }
    kafka.send(IN + suffix, null, new byte[] {(byte) 0xde, (byte) 0xad});

    Configuration flink = StreamingJob.flinkSettings(options);
    flink.setString("restart-strategy.type", "none"); // a record that failed a task would fail the job
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming hostile input test");
    try {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "h-" + i;
        kafka.send(IN + suffix, ("user-" + i % 4).getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId(id).setUserId("user-" + i % 4).setItemId(TestModels.itemId(1 + i)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)).build()));
        sent.add(id);
      }
      List<Recommendation> out = new ArrayList<>();
      for (var r : kafka.readUntil(OUT + suffix, Duration.ofSeconds(90), all -> all.size() >= sent.size())) out.add(recs.decode(r.value()));
      assertThat(out).extracting(r -> r.getTriggeringEventId().toString()).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(out).allSatisfy(r -> {
        assertThat(r.getModelVersion()).as("neither the hash-less announcement of v2 nor its copies outside the roots may be served").isEqualTo("v1");
        assertThat(r.getExperimentId()).as("the refused experiment must not assign anyone").isNull();
      });
      List<DeadLetter> dead = new ArrayList<>();
      for (var r : kafka.readUntil(DLQ + suffix, Duration.ofSeconds(60), all -> all.size() >= 4)) dead.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
      assertThat(dead).extracting(d -> d.getReason().toString())
          .anySatisfy(reason -> assertThat(reason).contains("stop must lie between"))
          .anySatisfy(reason -> assertThat(reason).contains("payload cut from").contains("key cut from"))
          .anySatisfy(reason -> assertThat(reason).startsWith("Cannot decode ModelUpdate"))
          .anySatisfy(reason -> assertThat(reason).startsWith("Cannot decode InteractionEvent"));
      // A good announcement after the bad ones: once it serves, the scorer has seen all of them
      // (one partition, in order), so "never v2" above did not just race the pointers.
      kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(ModelUpdate.newBuilder().setModelVersion("v4")
          .setArtifactUri(v4.dir().toUri().toString()).setManifestSha256(v4.manifestSha256()).setKind(org.lmrec.schema.ModelKind.SASREC).setCreatedAt(Instant.now()).build())));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int probes = 0;
      while (out.stream().noneMatch(r -> r.getModelVersion().equals("v4")) && System.nanoTime() < deadline) {
        kafka.send(IN + suffix, "probe".getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId("probe-" + (++probes)).setUserId("probe").setItemId(TestModels.itemId(1)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_100_000L + probes * 1000L)).build()));
        int expected = sent.size() + probes;
        out.clear();
        for (var r : kafka.readUntil(OUT + suffix, Duration.ofSeconds(30), all -> all.size() >= expected)) out.add(recs.decode(r.value()));
      }
      assertThat(out).extracting(Recommendation::getModelVersion).contains("v4").doesNotContain("v2");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Anyone who can write the model-update topic used to choose the served model. An unsigned
   * pointer and one signed by a key the job does not trust, both to a valid artifact inside the
   * roots with its right hash, are refused as dead letters; a correctly signed one then serves.
   */
  @Test
  void unsignedAndWronglySignedAnnouncementsAreRefusedAndTheSignedOneServes() throws Exception {
    String suffix = "-signed";
    for (String topic : List.of(IN, OUT, DLQ)) kafka.createTopic(topic + suffix, 2, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    Configuration options = options(suffix);
    AnnouncementSigner stranger = TestKeys.signer(dir.resolve("stranger-keys"), "publisher", 2); // the trusted key's id, another key
    AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
    ModelUpdate v2Pointer = org.lmrec.stream.scoring.ModelUpdates.of(v2);
    byte[] key = "sasrec".getBytes(StandardCharsets.UTF_8);
    kafka.send(MODELS + suffix, key, updates.encode(v2Pointer));
    kafka.send(MODELS + suffix, key, updates.encode(stranger.sign(v2Pointer)));

    Configuration flink = StreamingJob.flinkSettings(options);
    flink.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming signed announcements test");
    try {
      List<DeadLetter> refused = new ArrayList<>();
      for (var r : kafka.readUntil(DLQ + suffix, Duration.ofSeconds(90), all -> all.size() >= 2)) refused.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
      assertThat(refused).extracting(d -> d.getReason().toString()).satisfiesExactly(
          unsigned -> assertThat(unsigned).startsWith("ModelUpdate refused: ").contains("is unsigned"),
          wrong -> assertThat(wrong).startsWith("ModelUpdate refused: ").contains("does not verify with trusted key 'publisher'"));
      assertThat(refused).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(MODELS + suffix));
      // The source refused both, so the scorer never saw a pointer: the initial model serves.
      kafka.send(IN + suffix, "probe".getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
          .setEventId("probe-0").setUserId("probe").setItemId(TestModels.itemId(1)).setEventType(EventType.CLICK)
          .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build()));
      var first = kafka.readUntil(OUT + suffix, Duration.ofSeconds(90), r -> !r.isEmpty());
      assertThat(recs.decode(first.get(0).value()).getModelVersion()).isEqualTo("v1");

      // Both pointers came before this one on the single partition: once v4 serves, the scorer has seen
      // everything the source let through, and v2 never served.
      kafka.send(MODELS + suffix, key, updates.encode(signer.sign(org.lmrec.stream.scoring.ModelUpdates.of(v4))));
      List<Recommendation> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int probes = 0;
      while (out.stream().noneMatch(r -> r.getModelVersion().equals("v4")) && System.nanoTime() < deadline) {
        kafka.send(IN + suffix, "probe".getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId("probe-" + (++probes)).setUserId("probe").setItemId(TestModels.itemId(1)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + probes * 1000L)).build()));
        int expected = probes + 1;
        out.clear();
        for (var r : kafka.readUntil(OUT + suffix, Duration.ofSeconds(30), all -> all.size() >= expected)) out.add(recs.decode(r.value()));
      }
      assertThat(out).extracting(Recommendation::getModelVersion).contains("v4").containsOnly("v1", "v4");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void aJobThatRequiresSignaturesDoesNotStartWithoutATrustedKey() {
    Configuration options = options("-no-keys");
    options.removeConfig(StreamingOptions.TRUSTED_KEYS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaEndpoints.from(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lmrec.models.require-signature is on but no trusted key is configured")
        .hasMessageContaining("lmrec.models.trusted-keys");
    // Switching the requirement off is the explicit way to run without keys.
    options.set(StreamingOptions.REQUIRE_SIGNATURE, false);
    assertThat(KafkaEndpoints.from(options).modelUpdates()).isNotNull();
  }

  @Test
  void exactlyOnceDeliveryPublishesEachRecommendationOnceWhenItsCheckpointCompletes() throws Exception {
    String suffix = "-eo";
    for (String topic : List.of(IN, OUT, DLQ)) kafka.createTopic(topic + suffix, 2, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    Configuration options = options(suffix);
    options.set(StreamingOptions.DELIVERY, org.lmrec.stream.DeliveryMode.EXACTLY_ONCE);
    options.set(StreamingOptions.TRANSACTIONAL_ID_PREFIX, "lmrec-test-eo");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming exactly-once test");
    try {
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        String id = "eo-" + i;
        InteractionEvent e = InteractionEvent.newBuilder()
            .setEventId(id).setUserId("user-" + (i % 3)).setItemId(TestModels.itemId(1 + i)).setEventType(EventType.PURCHASE)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i)).build();
        kafka.send(IN + suffix, e.getUserId().getBytes(StandardCharsets.UTF_8), events.encode(e));
        sent.add(id);
      }
      // A read_committed consumer sees the records only once the checkpoint committed the transaction.
      kafka.readUntil(OUT + suffix, Duration.ofSeconds(90), all -> all.size() >= sent.size());
      // Then a marker event: once its recommendation is visible, a later checkpoint has committed
      // (checkpoints are global), so whatever the first read missed or would duplicate is there now.
      InteractionEvent marker = InteractionEvent.newBuilder().setEventId("eo-marker").setUserId("user-0").setItemId(TestModels.itemId(1))
          .setEventType(EventType.PURCHASE).setEventTime(Instant.ofEpochMilli(1_700_000_000_100L)).build();
      kafka.send(IN + suffix, "user-0".getBytes(StandardCharsets.UTF_8), events.encode(marker));
      sent.add("eo-marker");
      var read = kafka.readUntil(OUT + suffix, Duration.ofSeconds(90),
          all -> all.stream().anyMatch(r -> recs.decode(r.value()).getTriggeringEventId().equals("eo-marker")));
      List<String> triggering = new ArrayList<>();
      for (var r : read) triggering.add(recs.decode(r.value()).getTriggeringEventId());
      assertThat(triggering).containsExactlyInAnyOrderElementsOf(sent);
    } finally {
      job.cancel().get();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  private static List<InteractionEvent> waitForArchive(Path base, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<InteractionEvent> read = List.of();
    while (System.nanoTime() < deadline) {
      read = readArchive(base);
      if (read.size() >= expected) return read;
      Thread.sleep(500);
    }
    return read;
  }

  private static List<InteractionEvent> readArchive(Path base) throws Exception {
    List<InteractionEvent> out = new ArrayList<>();
    if (!Files.isDirectory(base)) return out;
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        assertThat(f.getParent().getFileName().toString()).startsWith("date=2023-11-");
        try (var reader = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(InteractionEvent.class))) {
          reader.forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void anExperimentOnItsTopicSplitsUsersBetweenTwoModelsAndItsResultsTopicShowsBothArms() throws Exception {
    String suffix = "-ab";
    for (String topic : List.of(IN, OUT, DLQ, "exposures", "results")) kafka.createTopic(topic + suffix, 2, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    kafka.createTopic("experiments" + suffix, 1, true);
    Configuration options = options(suffix);
    options.set(StreamingOptions.EXPERIMENTS_TOPIC, "experiments" + suffix);
    options.set(StreamingOptions.EXPOSURES_TOPIC, "exposures" + suffix);
    options.set(StreamingOptions.EXPERIMENT_RESULTS_TOPIC, "results" + suffix);
    options.set(StreamingOptions.EXPERIMENT_REPORT_DIR, dir.resolve("reports" + suffix).toString());
    options.set(StreamingOptions.OUTCOME_HORIZON_EVENTS, 1);
    options.set(StreamingOptions.LOOK_INTERVAL, Duration.ofSeconds(10));
    String experiment = """
        {"id": "rank-ab", "version": 1, "salt": "ab-salt",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                  {"name": "candidate", "weight": 50, "model": {"line": "candidate"}}],
         "start": "2020-01-01T00:00:00Z"}
        """;
    kafka.send("experiments" + suffix, "rank-ab".getBytes(StandardCharsets.UTF_8), experiment.getBytes(StandardCharsets.UTF_8));
    kafka.send(MODELS + suffix, "sasrec/candidate".getBytes(StandardCharsets.UTF_8),
        AvroCodec.of(ModelUpdate.class).encode(signer.sign(org.lmrec.stream.scoring.ModelUpdates.of(v2, "candidate"))));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming A/B test");
    try {
      org.lmrec.experiment.Experiment parsed = org.lmrec.experiment.ExperimentJson.parse(experiment);
      org.lmrec.experiment.ArmAssigner assigner = new org.lmrec.experiment.ArmAssigner();
      // Both definitions are read at start; wait until the candidate line serves before counting.
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<String, Recommendation> byEvent = new HashMap<>();
      int sent = 0;
      while (System.nanoTime() < deadline
          && byEvent.values().stream().noneMatch(r -> "candidate".equals(r.getExperimentArm()) && r.getModelVersion().equals("v2"))) {
        for (int u = 0; u < 10; u++) {
          String id = "ab-" + (++sent);
          kafka.send(IN + suffix, ("user-" + u).getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
              .setEventId(id).setUserId("user-" + u).setItemId(TestModels.itemId(1 + sent % ITEMS)).setEventType(EventType.CLICK)
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + sent * 1000L)).build()));
        }
        for (var r : kafka.readUntil(OUT + suffix, Duration.ofSeconds(30), all -> all.size() >= 10)) {
          Recommendation rec = recs.decode(r.value());
          byEvent.put(rec.getTriggeringEventId().toString(), rec);
        }
        Thread.sleep(200);
      }
      List<Recommendation> served = new ArrayList<>(byEvent.values());
      List<Recommendation> afterWarmUp = served.stream().filter(r -> r.getExperimentId() != null).toList();
      assertThat(afterWarmUp).extracting(Recommendation::getExperimentArm).contains("control", "candidate");
      for (Recommendation r : afterWarmUp) {
        String arm = assigner.arm(parsed, r.getUserId().toString()).orElseThrow();
        assertThat(r.getExperimentId()).isEqualTo("rank-ab");
        assertThat(r.getExperimentArm()).isEqualTo(arm);
        assertThat(r.getModelVersion()).isEqualTo(arm.equals("control") ? "v1" : "v2");
      }
      assertThat(served).filteredOn(r -> "candidate".equals(r.getExperimentArm())).extracting(Recommendation::getModelVersion).contains("v2");
      // Every recommendation served inside the experiment is also on the exposures topic.
      int exposedCount = afterWarmUp.size();
      List<Recommendation> exposures = new ArrayList<>();
      for (var r : kafka.readUntil("exposures" + suffix, Duration.ofSeconds(60), all -> all.size() >= exposedCount)) {
        exposures.add(recs.decode(r.value()));
      }
      assertThat(exposures).allSatisfy(e -> assertThat(e.getExperimentId()).isEqualTo("rank-ab"));
      assertThat(exposures).extracting(Recommendation::getExperimentArm).contains("control", "candidate");

      // Outcomes close at each user's next interaction; looks fall every 10 s of event time. More
      // traffic moves the watermark on until a look has outcomes of both arms.
      AvroCodec<ExperimentResult> results = AvroCodec.of(ExperimentResult.class);
      ExperimentResult withBoth = null;
      long resultsDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (withBoth == null && System.nanoTime() < resultsDeadline) {
        for (int u = 0; u < 10; u++) {
          String id = "ab-" + (++sent);
          kafka.send(IN + suffix, ("user-" + u).getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
              .setEventId(id).setUserId("user-" + u).setItemId(TestModels.itemId(1 + sent % ITEMS)).setEventType(EventType.CLICK)
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + sent * 1000L)).build()));
        }
        java.util.function.Predicate<ExperimentResult> bothArms = res -> res.getArms().stream().allMatch(a -> a.getExposures() > 0);
        try {
          for (var r : kafka.readUntil("results" + suffix, Duration.ofSeconds(3), all -> all.stream().anyMatch(x -> bothArms.test(results.decode(x.value()))))) {
            ExperimentResult result = results.decode(r.value());
            if (bothArms.test(result)) withBoth = result;
          }
        } catch (java.util.concurrent.TimeoutException notYet) {
          // no look with both arms yet: more traffic
        }
      }
      assertThat(withBoth).as("a result with outcomes in both arms").isNotNull();
      assertThat(withBoth.getExperimentId()).isEqualTo("rank-ab");
      assertThat(withBoth.getArms()).extracting(ArmResult::getName).containsExactly("control", "candidate");
      assertThat(withBoth.getArms()).allSatisfy(a -> {
        assertThat(a.getUsers()).isPositive().isLessThanOrEqualTo(10);
        assertThat(a.getDistinctItemsShown()).isPositive();
        assertThat(a.getMaxLatencyMillis()).isNotNull();
      });
      assertThat(withBoth.getSrmUnit()).isEqualTo("users");
      assertThat(withBoth.getComparisons()).singleElement().satisfies(c -> assertThat(c.getTreatment()).isEqualTo("candidate"));
      assertThat(dir.resolve("reports" + suffix).resolve("rank-ab.json")).exists();
      assertThat(dir.resolve("reports" + suffix).resolve("rank-ab.png")).exists();
    } finally {
      job.cancel().get();
    }
  }
}
