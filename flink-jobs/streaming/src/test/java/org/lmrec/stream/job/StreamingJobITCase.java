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
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
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
import org.lmrec.schema.ReleasedSchemas;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.flink.announce.TestKeys;
import org.lmrec.stream.TestModels;
import org.lmrec.flink.announce.AnnouncementSigner;

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
  static final int SCORERS = 2; // lmrec.parallelism in options(): each scorer subtask loads (or refuses) every announcement

  /** Every metric of the jobs below: restart counts, the scorer's refusals and served version. */
  static final InMemoryReporter METRICS = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

  @TempDir static Path dir;
  static InProcessKafka kafka;
  static ModelArtifact v1;
  static ModelArtifact v2;
  static ModelArtifact v3;
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
    v3 = TestModels.write(dir.resolve("models"), "v3", ModelKind.SASREC, ITEMS, 3);
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

      // 3. A real artifact (v3) announced with a wrong manifest hash is refused: counted by every
      // scorer, and v2 keeps serving; the good announcement of v4 that follows it is served.
      announce(v3, "v3", "0".repeat(64));
      awaitScorers(job.getJobID(), 1, "v2");
      announce(v4, "v4", v4.manifestSha256());
      List<Recommendation> phase3 = probeUntilServing("v4");
      assertThat(phase3).extracting(Recommendation::getModelVersion).doesNotContain("v3");
      assertThat(phase3).extracting(Recommendation::getModelVersion).containsOnly("v1", "v2", "v4");
      awaitScorers(job.getJobID(), 1, "v4");

      // 4. The archive holds every accepted interaction, partitioned by event date.
      int accepted = expectedHistory.size();
      List<InteractionEvent> archived = waitForArchive(dir.resolve("archive"), accepted);
      assertThat(archived).extracting(InteractionEvent::getEventId).doesNotHaveDuplicates().hasSize(accepted);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Hostile records on every input topic, with restarts allowed as in production: a record that
   * failed a task would show in Flink's numRestarts (asserted 0) or, once the attempts are spent,
   * fail the job. Each one of them stopped or hijacked the job before (the far-future stop
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
    // Room for the test models of ITEMS items, not for one of 40 times as many (inside the roots, right hash).
    ModelArtifact oversized = TestModels.write(dir.resolve("models"), "v5", ModelKind.SASREC, ITEMS * 40, 5);
    long small = Math.max(bytes(v1.dir()), bytes(v4.dir()));
    assertThat(bytes(oversized.dir())).isGreaterThan(2 * small);
    options.set(StreamingOptions.MAX_ARTIFACT_BYTES, new org.apache.flink.configuration.MemorySize(small + (bytes(oversized.dir()) - small) / 2));
    int refused = 0; // announcements each scorer must refuse and count
    String experiment = """
        {"id": "rank-ab", "version": 1, "salt": "s", "start": "2020-01-01T00:00:00Z", "stop": "+300000000-01-01T00:00:00Z",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}}, {"name": "candidate", "weight": 50, "model": {"line": "main"}}]}
        """;
    kafka.send("experiments" + suffix, "rank-ab".getBytes(StandardCharsets.UTF_8), experiment.getBytes(StandardCharsets.UTF_8));
    kafka.send("experiments" + suffix, "k".repeat(5_000).getBytes(StandardCharsets.UTF_8), ("{\"id\": \"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, (byte) 0xff});
    AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
    // Signed announcements each scorer must refuse and count, sent one at a time once the job serves
    // v1: back to back, a newer one would supersede a load before it got to be refused.
    List<ModelUpdate> refusable = new ArrayList<>();
    refusable.add(ModelUpdate.newBuilder().setModelVersion("v2")
        .setArtifactUri(v2.dir().toUri().toString()).setManifestSha256("").setKind(org.lmrec.schema.ModelKind.GRU4REC).setCreatedAt(Instant.now()).build());
    refusable.add(ModelUpdate.newBuilder().setModelVersion("v5")
        .setArtifactUri(oversized.dir().toUri().toString()).setManifestSha256(oversized.manifestSha256()).setKind(org.lmrec.schema.ModelKind.SASREC)
        .setCreatedAt(Instant.now()).build());
    // A valid artifact with its right hash, but outside the artifact roots (the folder of the initial
    // model): first directly, then through '..' and through a symbolic link inside the roots.
    Path outside = dir.resolve("outside-roots");
    Files.createDirectories(outside);
    Path stray = outside.resolve("v2");
    if (!Files.exists(stray)) copyTree(v2.dir(), stray);
    Path link = v1.dir().getParent().resolve("v2-link");
    if (!Files.exists(link)) Files.createSymbolicLink(link, stray);
    for (String uri : List.of(stray.toUri().toString(), v1.dir().toString() + "/../../outside-roots/v2", link.toString())) {
      refusable.add(ModelUpdate.newBuilder().setModelVersion("v2")
          .setArtifactUri(uri).setManifestSha256(v2.manifestSha256()).setKind(org.lmrec.schema.ModelKind.GRU4REC).setCreatedAt(Instant.now()).build());
    }
    kafka.send(IN + suffix, null, new byte[] {(byte) 0xde, (byte) 0xad});
    // A real announcement on the interactions topic. Its body decodes as an interaction (event
    // "hijack-1" of user "file:///nowhere" on item "abc"), so before the single-object header it was
    // accepted, scored and archived: the header's fingerprint now names it a ModelUpdate.
    kafka.send(IN + suffix, null, updates.encode(ModelUpdate.newBuilder().setModelVersion("hijack-1")
        .setArtifactUri("file:///nowhere").setManifestSha256("abc").setKind(org.lmrec.schema.ModelKind.SASREC).setCreatedAt(Instant.now()).build()));

    Configuration flink = StreamingJob.flinkSettings(options);
    flink.setString("restart-strategy.type", "fixed-delay");
    flink.setString("restart-strategy.fixed-delay.attempts", "3");
    flink.setString("restart-strategy.fixed-delay.delay", "100 ms");
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
        assertThat(r.getModelVersion()).as("neither the hash-less announcement of v2, its copies outside the roots nor the oversized v5 may be served")
            .isEqualTo("v1");
        assertThat(r.getExperimentId()).as("the refused experiment must not assign anyone").isNull();
      });
      for (ModelUpdate bad : refusable) {
        kafka.send(MODELS + suffix, "line".getBytes(StandardCharsets.UTF_8), updates.encode(signer.sign(bad)));
        awaitRefusals(job.getJobID(), ++refused);
      }
      List<DeadLetter> dead = new ArrayList<>();
      String foreign = "schema fingerprint " + ReleasedSchemas.hex(ReleasedSchemas.fingerprint(ModelUpdate.getClassSchema())) + " is ModelUpdate v";
      AvroCodec<DeadLetter> deadLetters = AvroCodec.of(DeadLetter.class);
      for (var r : kafka.readUntil(DLQ + suffix, Duration.ofSeconds(60), all -> all.size() >= 5
          && all.stream().anyMatch(d -> deadLetters.decode(d.value()).getReason().contains(foreign)))) dead.add(deadLetters.decode(r.value()));
      assertThat(dead).extracting(d -> d.getReason().toString())
          .anySatisfy(reason -> assertThat(reason).startsWith("Cannot decode InteractionEvent").contains(foreign))
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
      assertThat(out).extracting(Recommendation::getModelVersion).contains("v4").doesNotContain("v2", "v5");
      awaitScorers(job.getJobID(), refused, "v4");
      assertThat(out).extracting(r -> r.getTriggeringEventId().toString()).as("the announcement is not scored").doesNotContain("hijack-1");
      List<InteractionEvent> archived = waitForArchive(dir.resolve("archive" + suffix), sent.size() + probes);
      assertThat(archived).extracting(e -> e.getEventId().toString()).as("nor archived").containsAll(sent).doesNotContain("hijack-1");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      assertThat(restarts(job.getJobID())).as("numRestarts").isZero();
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
    ModelUpdate v2Pointer = org.lmrec.flink.announce.ModelUpdates.of(v2);
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
      kafka.send(MODELS + suffix, key, updates.encode(signer.sign(org.lmrec.flink.announce.ModelUpdates.of(v4))));
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

  /**
   * Exactly-once across a real failure. Checkpoints are taken only when the test triggers them, so
   * the failure falls deterministically between two: phase "before" is committed by checkpoint 1;
   * phase "replayed" is processed and written into open transactions, then the task manager is
   * killed; the job restarts from checkpoint 1, re-reads and re-writes "replayed", then processes
   * "after"; checkpoint 2 commits both. A read_uncommitted reader sees the aborted first writes
   * of "replayed" too (proof that the failure and the replay happened); a read_committed reader
   * sees every recommendation, exposure and dead letter exactly once.
   */
  @Test
  void exactlyOnceDeliveryPublishesEachRecordOnceAcrossAFailureAndRestart(@InjectMiniCluster MiniCluster cluster) throws Exception {
    String suffix = "-eo";
    for (String topic : List.of(IN, OUT, DLQ, "exposures")) kafka.createTopic(topic + suffix, 2, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    Configuration options = options(suffix);
    // An experiment over every user, so that every recommendation is an exposure too.
    Path experiment = dir.resolve("experiment-eo.json");
    Files.writeString(experiment, """
        {"id": "eo-ab", "version": 1, "salt": "s", "start": "2020-01-01T00:00:00Z",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}}, {"name": "candidate", "weight": 50, "model": {"line": "main"}}]}
        """);
    options.set(StreamingOptions.EXPERIMENTS_FILE, experiment.toString());
    options.set(StreamingOptions.EXPOSURES_TOPIC, "exposures" + suffix);
    options.set(StreamingOptions.DELIVERY, org.lmrec.stream.DeliveryMode.EXACTLY_ONCE);
    options.set(StreamingOptions.TRANSACTIONAL_ID_PREFIX, "lmrec-test-eo");
    Configuration flink = StreamingJob.flinkSettings(options);
    flink.removeKey("execution.checkpointing.interval"); // no periodic checkpoints: only the two this test triggers
    flink.setString("restart-strategy.type", "fixed-delay");
    flink.setString("restart-strategy.fixed-delay.attempts", "10");
    flink.setString("restart-strategy.fixed-delay.delay", "100 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming exactly-once test");
    try {
      awaitExperimentForEveryUser(suffix);
      ExactlyOncePhase before = ExactlyOncePhase.send(kafka, IN + suffix, "before", 0, events);
      awaitWritten(suffix, "read_uncommitted", List.of(before), 1);
      checkpoint(cluster, job.getJobID());
      awaitWritten(suffix, "read_committed", List.of(before), 1);

      ExactlyOncePhase replayed = ExactlyOncePhase.send(kafka, IN + suffix, "replayed", 1, events);
      awaitWritten(suffix, "read_uncommitted", List.of(replayed), 1); // written, in transactions still open
      cluster.terminateTaskManager(0).get();
      cluster.startTaskManager();
      ExactlyOncePhase after = ExactlyOncePhase.send(kafka, IN + suffix, "after", 2, events);
      awaitWritten(suffix, "read_uncommitted", List.of(replayed), 2); // the restart replayed them
      awaitWritten(suffix, "read_uncommitted", List.of(after), 1);
      checkpoint(cluster, job.getJobID());

      List<ExactlyOncePhase> all = List.of(before, replayed, after);
      Written committed = awaitWritten(suffix, "read_committed", all, 1);
      Map<String, Long> committedRecs = committed.recommendations();
      Map<String, Long> committedDead = committed.deadLetters();
      assertThat(committed.exposures()).as("exposures per triggering event, read_committed")
          .containsOnlyKeys(all.stream().flatMap(ph -> ph.eventIds.stream()).toList())
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
      assertThat(committedRecs).as("recommendations per triggering event, read_committed")
          .containsOnlyKeys(all.stream().flatMap(ph -> ph.eventIds.stream()).toList())
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
      assertThat(committedDead).as("dead letters per garbage record, read_committed")
          .containsOnlyKeys(all.stream().flatMap(ph -> ph.garbage.stream()).toList())
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
      Written uncommitted = awaitWritten(suffix, "read_uncommitted", all, 1);
      for (String id : replayed.eventIds) assertThat(uncommitted.recommendations().get(id)).as(id).isGreaterThanOrEqualTo(2L);
      for (String g : replayed.garbage) assertThat(uncommitted.deadLetters().get(g)).as(g).isGreaterThanOrEqualTo(2L);
      for (String id : replayed.eventIds) assertThat(uncommitted.exposures().get(id)).as("exposure " + id).isGreaterThanOrEqualTo(2L);
      assertThat(restarts(job.getJobID())).as("numRestarts").isGreaterThanOrEqualTo(1L);
    } finally {
      job.cancel().get();
    }
  }

  /** One phase of the exactly-once test: interactions of four users and two undecodable records, each named after the phase. */
  private record ExactlyOncePhase(List<String> eventIds, List<String> garbage) {
    static ExactlyOncePhase send(InProcessKafka kafka, String topic, String name, int ordinal, AvroCodec<InteractionEvent> events) throws Exception {
      List<String> ids = new ArrayList<>();
      List<String> garbage = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = "eo-" + name + "-" + i;
        String user = "user-" + (i % 4);
        kafka.send(topic, user.getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId(id).setUserId(user).setItemId(TestModels.itemId(1 + (ordinal * 8 + i) % ITEMS)).setEventType(EventType.PURCHASE)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + ordinal * 10_000L + i)).build()));
        ids.add(id);
      }
      for (int i = 0; i < 2; i++) {
        String g = "garbage-" + name + "-" + i;
        kafka.send(topic, g.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xde, (byte) 0xad, (byte) i});
        garbage.add(g);
      }
      return new ExactlyOncePhase(ids, garbage);
    }
  }

  /**
   * The experiment reaches each user-sequence subtask by broadcast, racing the first interactions:
   * until it has arrived, recommendations carry no experiment and make no exposure. Sends warm-up
   * events (ids "warm-up-N", earlier in event time than every phase) for the phases' four users
   * until each one's newest recommendation carries the experiment.
   */
  private void awaitExperimentForEveryUser(String suffix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    int sent = 0;
    while (System.nanoTime() < deadline) {
      List<String> round = new ArrayList<>();
      for (int u = 0; u < 4; u++) {
        String id = "warm-up-" + (++sent);
        String user = "user-" + u;
        kafka.send(IN + suffix, user.getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
            .setEventId(id).setUserId(user).setItemId(TestModels.itemId(1)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L - 3_600_000L + sent * 100L)).build()));
        round.add(id);
      }
      Map<String, Recommendation> byId = new HashMap<>();
      for (var r : kafka.readToEnd(OUT + suffix, "read_uncommitted", Duration.ofSeconds(120), all -> all.stream()
          .map(x -> recs.decode(x.value()).getTriggeringEventId().toString()).collect(java.util.stream.Collectors.toSet()).containsAll(round))) {
        Recommendation rec = recs.decode(r.value());
        byId.put(rec.getTriggeringEventId().toString(), rec);
      }
      if (round.stream().allMatch(id -> byId.get(id).getExperimentId() != null)) return;
      Thread.sleep(200);
    }
    throw new AssertionError("the experiment never reached every user's subtask");
  }

  /** How often each triggering event id has a recommendation and an exposure, and each garbage key a dead letter (warm-up events left out). */
  private record Written(Map<String, Long> recommendations, Map<String, Long> deadLetters, Map<String, Long> exposures) {}

  /**
   * Reads the output topics at {@code isolation} to their end, once every event and garbage record
   * of {@code phases} shows up there at least {@code times} times.
   */
  private Written awaitWritten(String suffix, String isolation, List<ExactlyOncePhase> phases, int times) throws Exception {
    List<String> ids = phases.stream().flatMap(ph -> ph.eventIds.stream()).toList();
    List<String> garbage = phases.stream().flatMap(ph -> ph.garbage.stream()).toList();
    java.util.function.Function<List<ConsumerRecord<byte[], byte[]>>, Map<String, Long>> recCounts = records -> records.stream()
        .map(r -> recs.decode(r.value()).getTriggeringEventId().toString()).filter(id -> !id.startsWith("warm-up-"))
        .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
    AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
    java.util.function.Function<List<ConsumerRecord<byte[], byte[]>>, Map<String, Long>> deadCounts = records -> records.stream()
        .map(r -> letters.decode(r.value()).getRawKey())
        .filter(java.util.Objects::nonNull)
        .collect(java.util.stream.Collectors.groupingBy(k -> StandardCharsets.UTF_8.decode(k.duplicate()).toString(), java.util.stream.Collectors.counting()));
    var r = kafka.readToEnd(OUT + suffix, isolation, Duration.ofSeconds(120),
        all -> ids.stream().allMatch(id -> recCounts.apply(all).getOrDefault(id, 0L) >= times));
    var d = kafka.readToEnd(DLQ + suffix, isolation, Duration.ofSeconds(120),
        all -> garbage.stream().allMatch(g -> deadCounts.apply(all).getOrDefault(g, 0L) >= times));
    var e = kafka.readToEnd("exposures" + suffix, isolation, Duration.ofSeconds(120),
        all -> ids.stream().allMatch(id -> recCounts.apply(all).getOrDefault(id, 0L) >= times));
    return new Written(recCounts.apply(r), deadCounts.apply(d), recCounts.apply(e));
  }

  /** Triggers a checkpoint and waits until it completed; retried while the tasks are not all running yet (after a restart). */
  private static void checkpoint(MiniCluster cluster, JobID job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        cluster.triggerCheckpoint(job).get(120, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException declined) {
        if (System.nanoTime() > deadline) throw declined;
        Thread.sleep(50);
      }
    }
  }

  /** The job's restart count, Flink's numRestarts metric, once the job manager registered it. */
  private static long restarts(JobID job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Metric> found = METRICS.findMetrics(job, "numRestarts");
      if (!found.isEmpty()) return found.values().stream().mapToLong(StreamingJobITCase::value).max().orElseThrow();
      Thread.sleep(50);
    }
    throw new AssertionError("numRestarts of job " + job + " never registered");
  }

  /**
   * Waits until every scorer subtask counted {@code refusals} announcements it did not serve (Flink
   * metrics lmrecModelRefusals plus lmrecModelLoadsSuperseded: models load in the background, and a
   * bad announcement followed at once by another is dropped unloaded rather than refused) and
   * serves {@code serving} (lmrecServingModelVersion), then asserts both: none counted more, none
   * serves another version.
   */
  private static void awaitScorers(JobID job, long refusals, String serving) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<String, Long> counted = Map.of();
    List<String> served = List.of();
    while (System.nanoTime() < deadline) {
      counted = notServed(job); // the model-update source counts its own refusals apart
      served = scorerMetrics(job, "lmrecServingModelVersion").values().stream().map(m -> String.valueOf(((Gauge<?>) m).getValue())).toList();
      if (counted.size() == SCORERS && counted.values().stream().allMatch(n -> n >= refusals)
          && served.size() == SCORERS && served.stream().allMatch(serving::equals)) break;
      Thread.sleep(50);
    }
    assertThat(counted).as("lmrecModelRefusals of every scorer subtask").hasSize(SCORERS);
    assertThat(counted.values()).as("announcements refused or superseded per scorer").containsOnly(refusals);
    assertThat(served).as("version served per scorer").hasSize(SCORERS).containsOnly(serving);
  }

  /** Waits until every scorer subtask has refused exactly {@code refusals} announcements (none superseded). */
  private static void awaitRefusals(JobID job, long refusals) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    List<Long> counted = List.of();
    while (System.nanoTime() < deadline) {
      counted = scorerMetrics(job, "lmrecModelRefusals").values().stream().map(StreamingJobITCase::value).toList();
      if (counted.size() == SCORERS && counted.stream().allMatch(n -> n >= refusals)) break;
      Thread.sleep(50);
    }
    assertThat(counted).as("lmrecModelRefusals per scorer").hasSize(SCORERS).containsOnly(refusals);
  }

  /** Per scorer subtask: announcements refused plus those superseded while loading. */
  private static Map<String, Long> notServed(JobID job) {
    Map<String, Long> bySubtask = new java.util.TreeMap<>();
    scorerMetrics(job, "lmrecModelRefusals").forEach((id, m) -> bySubtask.merge(subtaskOf(id), value(m), Long::sum));
    scorerMetrics(job, "lmrecModelLoadsSuperseded").forEach((id, m) -> bySubtask.merge(subtaskOf(id), value(m), Long::sum));
    return bySubtask;
  }

  private static String subtaskOf(String metricId) {
    return metricId.substring(0, metricId.lastIndexOf('.'));
  }

  private static Map<String, Metric> scorerMetrics(JobID job, String name) {
    Map<String, Metric> scorers = new java.util.TreeMap<>();
    METRICS.findMetrics(job, name).forEach((id, m) -> {
      if (id.contains(".scorer.")) scorers.put(id, m);
    });
    return scorers;
  }

  private static long value(Metric m) {
    if (m instanceof Counter c) return c.getCount();
    if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) return n.longValue();
    throw new AssertionError("not a numeric metric: " + m);
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

  /** Bytes of the regular files under {@code dir}. */
  private static long bytes(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
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
        AvroCodec.of(ModelUpdate.class).encode(signer.sign(org.lmrec.flink.announce.ModelUpdates.of(v2, "candidate"))));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming A/B test");
    try {
      org.lmrec.experiment.Experiment parsed = org.lmrec.experiment.ExperimentJson.parse(experiment);
      org.lmrec.experiment.ArmAssigner assigner = new org.lmrec.experiment.ArmAssigner();
      // Both definitions are read at start, but each assignment subtask gets the broadcast experiment
      // on its own: wait until the candidate line serves and both arms' users are inside the
      // experiment (once the candidate's subtask had it and the control users' did not yet).
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<String, Recommendation> byEvent = new HashMap<>();
      int sent = 0;
      while (System.nanoTime() < deadline
          && (byEvent.values().stream().noneMatch(r -> "candidate".equals(r.getExperimentArm()) && r.getModelVersion().equals("v2"))
              || byEvent.values().stream().noneMatch(r -> "control".equals(r.getExperimentArm())))) {
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

  /**
   * With {@code lmrec.summaries.enabled} (extractive backend), every completed block of 5 items
   * puts the user's summary on the summaries topic, equal to the recurrent summary from scratch
   * over the same history; the recommendations keep coming as before.
   */
  @Test
  void summariesSwitchedOnRefreshEveryFiveItemsOnTheirTopic() throws Exception {
    String suffix = "-summaries";
    for (String t : List.of(IN, OUT, "summaries")) kafka.createTopic(t + suffix, 2, false);
    kafka.createTopic(DLQ + suffix, 1, false);
    kafka.createTopic(MODELS + suffix, 1, true);
    Path catalogueArtifact = org.lmrec.stream.summary.SummaryFixtures.artifact(dir.resolve("catalogue"), ITEMS, 5);
    Configuration o = options(suffix);
    o.set(StreamingOptions.SUMMARIES_ENABLED, true);
    o.set(StreamingOptions.SUMMARIES_CATALOGUE, catalogueArtifact.toString());
    o.set(StreamingOptions.SUMMARIES_TOPIC, "summaries" + suffix);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(o));
    new StreamingJob(o, KafkaEndpoints.from(o)).build(env);
    JobClient job = env.executeAsync("lmrec streaming test with summaries");
    try {
      Map<String, List<String>> sent = new HashMap<>();
      int n = 0;
      for (String user : List.of("alice", "bob")) {
        for (int k = 0; k < (user.equals("alice") ? 12 : 5); k++) {
          String item = TestModels.itemId(1 + (k * 7 + user.length() * 3) % ITEMS);
          n++;
          kafka.send(IN + suffix, user.getBytes(StandardCharsets.UTF_8), events.encode(InteractionEvent.newBuilder()
              .setEventId("s-" + n).setUserId(user).setItemId(item).setEventType(EventType.CLICK)
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + n * 1000L)).build()));
          sent.computeIfAbsent(user, u -> new ArrayList<>()).add(item);
        }
      }
      AvroCodec<org.lmrec.schema.UserSummaryUpdate> codec = AvroCodec.of(org.lmrec.schema.UserSummaryUpdate.class);
      List<org.lmrec.schema.UserSummaryUpdate> summaries = kafka.readUntil("summaries" + suffix, Duration.ofSeconds(90), all -> all.size() >= 3)
          .stream().map(r -> codec.decode(r.value())).toList();
      var catalogue = org.lmrec.summary.SummaryCatalogue.read(catalogueArtifact, org.lmrec.summary.SummaryCatalogue.Limits.defaults());
      var summariser = org.lmrec.stream.summary.SummarySettings.extractive(catalogueArtifact.toString()).extractive();
      assertThat(summaries).extracting(u -> u.getUserId() + "#" + u.getBlocks()).containsExactlyInAnyOrder("alice#1", "alice#2", "bob#1");
      for (var u : summaries) {
        List<org.lmrec.summary.SummaryItem> items = sent.get(u.getUserId()).subList(0, (int) u.getBlocks() * 5).stream()
            .map(i -> catalogue.item(i).orElseThrow()).toList();
        assertThat(u.getText()).isNotBlank()
            .isEqualTo(org.lmrec.summary.SummaryStrategy.RECURRENT.summarise(summariser, items, 5, 5).text());
      }
      assertThat(kafka.readUntil(OUT + suffix, Duration.ofSeconds(60), all -> all.size() >= 17)).hasSize(17);
    } finally {
      job.cancel().get();
    }
  }
}
