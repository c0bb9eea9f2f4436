package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
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
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.data.Dataset;
import org.lmrec.data.RecBoleLoader;
import org.lmrec.data.RecBoleWriter;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.p2rec.P2RecArtifactFiles;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.retrain.RetrainConfig;
import org.lmrec.retrain.RetrainingRun;
import org.lmrec.retrainjob.prep.PrepOptions;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.flink.archive.EventDateBucketAssigner;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;
import org.lmrec.tensor.Tensor;
import org.lmrec.train.TrainingOptions;

/**
 * The whole retraining loop on synthetic data, with a real Kafka broker, the real streaming job on
 * a MiniCluster (RocksDB, no restarts allowed) and P2Rec with the real LM:
 *
 * <ol>
 *   <li>version 1 is trained from an archive of past interactions and announced;
 *   <li>the streaming job serves it, and live events flow through it into the archive;
 *   <li>a deliberately broken retraining (a learning rate that leaves the SRS at its random start)
 *       is refused by the gate, kept apart, not announced, and version 1 keeps serving; its LM
 *       stage, with the LoRA not due for a refresh, embeds only the catalogue's new items;
 *   <li>a good retraining, its fine-tuning warm-started from version 1's LoRA, produces version 2
 *       from the archive (now holding the live events), passes the gate and is announced; later
 *       recommendations carry version 2 and see the users' earlier live events, the job never
 *       restarted, and the catalogue's new items got rows from their text.
 * </ol>
 */
class RetrainingLoopITCase {
  static final String IN = "interactions", OUT = "recommendations", DLQ = "dead-letters", MODELS = "model-updates";
  static final int NEW_ITEMS = 3;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

  @TempDir static Path dir;
  static InProcessKafka kafka;
  static Dataset data;
  /** The publisher's key; the streaming job trusts its public half. */
  static org.lmrec.flink.announce.AnnouncementSigner signer;

  final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
  final AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
  /** Live events sent through Kafka, per user, and the history each recommendation should see. */
  final Map<String, List<String>> live = new HashMap<>();
  final Map<String, List<String>> expectedHistory = new HashMap<>();
  /**
   * The first past interaction. Midnight a week ago, so that every past interaction (the longest
   * synthetic history spans about 3.1 days) lies before the retraining window's end, whatever the
   * time of day. It used to be the hour three days ago: then the last event of the longest history
   * fell after "now" for part of every hour, the window dropped it, and the training data (and so
   * the LM embeddings the PCA reduced) depended on the minute the test ran.
   */
  final Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(7));
  int liveCounter;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
    kafka.createTopic(IN, 2, false);
    kafka.createTopic(OUT, 2, false);
    kafka.createTopic(DLQ, 1, false);
    kafka.createTopic(MODELS, 1, true);
    signer = org.lmrec.flink.announce.TestKeys.signer(dir.resolve("keys"), "retrain", 1);
    data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(150).withItems(200).withSequenceLength(9, 5).withSeed(11));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (kafka != null) kafka.close();
  }

  @Test
  void retrainsFromTheArchivePublishesThroughTheGateAndTheStreamSwapsWithoutLosingState() throws Exception {
    Path archive = dir.resolve("archive");
    Path catalogue = writeCatalogue(0);
    writePastInteractions(archive);
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), "sasrec");

    // 1. Version 1 from the archive of past interactions.
    RetrainingRun.Outcome v1;
    try (KafkaModelAnnouncer announcer = new KafkaModelAnnouncer(kafka.bootstrapServers(), MODELS, signer)) {
      v1 = job(archive, catalogue, config(Duration.ofDays(7)), registry, announcer).runOnce().orElseThrow();
    }
    assertThat(v1.gate().passed()).isTrue();
    assertThat(v1.lmRefreshed()).isTrue();
    assertThat(modelUpdates(1)).containsExactly(v1.artifact().version());

    // 2. The streaming job (no initial model: it picks version 1 up from the compacted topic).
    Configuration options = streamingOptions(archive);
    Configuration flink = StreamingJob.flinkSettings(options);
    flink.setString("restart-strategy.type", "none"); // a restart would fail the job, not hide
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming (retraining loop test)");
    try {
      // The job loads version 1 from the topic in the background; a request scored before that gets
      // no model, so wait for it to serve (under load the load can take longer than the first batch).
      probeUntilServing(v1.artifact().version());
      List<String> users = data.userIds().subList(0, 40);
      List<String> phase1 = new ArrayList<>();
      for (String user : users) phase1.add(sendLive(user));
      for (String user : users) phase1.add(sendLive(user));
      assertThat(readRecommendations(expectedHistory.size())).filteredOn(r -> phase1.contains(r.getTriggeringEventId())).hasSize(phase1.size())
          .extracting(Recommendation::getModelVersion).containsOnly(v1.artifact().version());
      waitForArchive(archive, liveCounter);

      // 3. A deliberately broken model is refused; version 1 keeps serving.
      Path catalogueWithNewItems = writeCatalogue(NEW_ITEMS);
      RetrainConfig broken = config(Duration.ofDays(7));
      broken = new RetrainConfig(broken.enhancer(), broken.model().withLearningRate(1e-9f), broken.training().withMaxEpochs(1),
          broken.validationUsers(), broken.p2rec(), broken.llmemb(), broken.checkpoint(), broken.lmRefreshInterval(),
          broken.gateMargin(), broken.keepVersions(), broken.keepRefused(), broken.threads(), broken.workDir(), broken.dropoutFromData());
      RetrainingRun.Outcome refused;
      try (KafkaModelAnnouncer announcer = new KafkaModelAnnouncer(kafka.bootstrapServers(), MODELS, signer)) {
        refused = job(archive, catalogueWithNewItems, broken, registry, announcer).runOnce().orElseThrow();
      }
      assertThat(refused.gate().passed()).as(refused.gate().reason()).isFalse();
      assertThat(refused.announced()).isFalse();
      assertThat(refused.artifact().dir().getParent()).isEqualTo(dir.resolve("artifacts").resolve(ModelRegistry.REFUSED_DIR));
      assertThat(refused.lmRefreshed()).isFalse();
      assertThat(refused.itemsEmbedded()).isEqualTo(NEW_ITEMS); // the LoRA was reused: only new items went through the LM
      assertThat(lmRow(refused.artifact().dir(), data.itemId(1))).containsExactly(lmRow(v1.artifact().dir(), data.itemId(1)));
      assertThat(modelUpdates(1)).containsExactly(v1.artifact().version());
      assertThat(registry.serving().orElseThrow().version()).isEqualTo(v1.artifact().version());
      List<String> phase3 = new ArrayList<>();
      for (String user : users.subList(0, 5)) phase3.add(sendLive(user));
      assertThat(readRecommendations(expectedHistory.size())).filteredOn(r -> phase3.contains(r.getTriggeringEventId())).hasSize(phase3.size())
          .extracting(Recommendation::getModelVersion).containsOnly(v1.artifact().version());

      // 4. Version 2: fine-tuning warm-started from version 1's LoRA, on the archive with the live events.
      waitForArchive(archive, liveCounter);
      RetrainingRun.Outcome v2;
      try (KafkaModelAnnouncer announcer = new KafkaModelAnnouncer(kafka.bootstrapServers(), MODELS, signer)) {
        v2 = job(archive, catalogueWithNewItems, config(Duration.ZERO), registry, announcer).runOnce().orElseThrow();
      }
      long announcedAt = System.nanoTime(); // runOnce returns right after the announcement's send is acknowledged
      assertThat(v2.gate().passed()).as(v2.gate().reason()).isTrue();
      assertThat(v2.gate().servingVersion()).isEqualTo(v1.artifact().version());
      assertThat(v2.lmRefreshed()).isTrue();
      assertThat(v2.artifact().manifest().parentVersion()).isEqualTo(v1.artifact().version());
      assertThat(v2.artifact().manifest().trainingData().numInteractions()).isGreaterThan(v1.artifact().manifest().trainingData().numInteractions());
      assertThat(v2.coldItems()).isGreaterThanOrEqualTo(NEW_ITEMS); // the new items, and any the split left without training interactions
      assertThat(modelUpdates(2)).containsExactly(v1.artifact().version(), v2.artifact().version());
      assertNewItemsLookLikeTheirTextTwins(ArtifactReader.load(v2.artifact().dir()));

      String v2Version = v2.artifact().version();
      probeUntilServing(v2Version);
      // Printed, not asserted: an upper bound, since probes go out every ~200 ms (record timestamps
      // are event times, so they cannot time the swap).
      System.out.printf("announcement -> first recommendation by %s: %d ms (upper bound)%n", v2Version,
          java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - announcedAt));
      List<String> after = new ArrayList<>();
      for (String user : users.subList(0, 10)) after.add(sendLive(user));
      ServingModel served = ServingModel.fromArtifact(ArtifactReader.load(v2.artifact().dir()));
      for (Recommendation r : readRecommendations(expectedHistory.size())) {
        if (!after.contains(r.getTriggeringEventId())) continue;
        assertThat(r.getModelVersion()).isEqualTo(v2Version);
        List<String> history = expectedHistory.get(r.getTriggeringEventId());
        assertThat(history).hasSizeGreaterThanOrEqualTo(3); // the live events from before both retrainings
        List<String> expected = List.of(new BatchRecommender(served, 5).recommend(List.<String[]>of(history.toArray(new String[0]))).get(0).itemIds());
        assertThat(r.getItems().stream().map(ScoredItem::getItemId).toList()).isEqualTo(expected);
      }
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  private RetrainJob job(Path archive, Path catalogue, RetrainConfig config, ModelRegistry registry, KafkaModelAnnouncer announcer) {
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", "2");
    RetrainJob.Settings settings = new RetrainJob.Settings(archive.toUri().toString(), catalogue, Duration.ofDays(30), null, PrepOptions.defaults(), flink);
    return new RetrainJob(settings, config, registry, announcer, Clock.systemUTC());
  }

  private RetrainConfig config(Duration lmRefresh) {
    ModelConfig model = ModelConfig.defaults(ModelKind.SASREC).withDim(32).withMaxLen(20).withSeed(5);
    P2RecConfig p2rec = P2RecConfig.defaults().withCategories(6).withTokens(48, 32).withTraining(1, 8, 1e-3f, 32).withSeed(5);
    return RetrainConfig.defaults(Enhancer.P2REC, model, LmCheckpoint.defaultMiniLm(), dir.resolve("work"))
        .withP2Rec(p2rec)
        .withTraining(TrainingOptions.defaults().withMaxEpochs(8).withPatience(2).withShowProgress(false), 0)
        .withLmRefreshInterval(lmRefresh)
        .withGate(0.3);
  }

  private Configuration streamingOptions(Path archive) {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    o.set(StreamingOptions.INTERACTIONS_TOPIC, IN);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, OUT);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, DLQ);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, MODELS);
    o.set(StreamingOptions.ARTIFACT_ROOTS, List.of(dir.resolve("artifacts").toString())); // the registry: published, never refused/
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-retrain-loop");
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(dir.resolve("keys").toString()));
    o.set(StreamingOptions.ARCHIVE_PATH, archive.toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.TOP_K, 5);
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    return o;
  }

  /** The synthetic users' interactions, two hours apart, as the streaming job's archive would hold them. */
  private void writePastInteractions(Path archive) throws Exception {
    Map<String, DataFileWriter<InteractionEvent>> writers = new HashMap<>();
    try {
      for (int u = 0; u < data.numUsers(); u++) {
        int[] seq = data.sequence(u);
        for (int i = 0; i < seq.length; i++) {
          Instant t = start.plus(Duration.ofMinutes(u)).plus(Duration.ofHours(2L * i));
          assertThat(t).as("past interactions must all lie inside the retraining window").isBefore(Instant.now().minus(Duration.ofDays(1)));
          InteractionEvent e = InteractionEvent.newBuilder().setEventId("past-" + u + "-" + i).setUserId(data.userId(u))
              .setItemId(data.itemId(seq[i])).setEventType(EventType.CLICK).setEventTime(t).build();
          String bucket = EventDateBucketAssigner.bucketOf(t);
          DataFileWriter<InteractionEvent> w = writers.get(bucket);
          if (w == null) {
            Files.createDirectories(archive.resolve(bucket));
            w = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class))
                .create(InteractionEvent.getClassSchema(), archive.resolve(bucket).resolve("interactions-past-0.avro").toFile());
            writers.put(bucket, w);
          }
          w.append(e);
        }
      }
    } finally {
      for (DataFileWriter<InteractionEvent> w : writers.values()) w.close();
    }
  }

  /** The catalogue as a RecBole .item file, plus {@code newItems} new items whose text is that of items 1..newItems with "edition 2" added. */
  private Path writeCatalogue(int newItems) throws Exception {
    Path inter = RecBoleWriter.write(data, dir.resolve("catalogue-" + newItems));
    String stem = inter.getFileName().toString().replace(RecBoleLoader.INTER_SUFFIX, "");
    Path item = inter.resolveSibling(stem + RecBoleLoader.ITEM_SUFFIX);
    List<String> lines = new ArrayList<>(Files.readAllLines(item));
    for (int n = 1; n <= newItems; n++) {
      String twinId = data.itemId(n);
      String twin = lines.stream().filter(l -> l.startsWith(twinId + "\t")).findFirst().orElseThrow();
      lines.add("new-" + n + twin.substring(twin.indexOf('\t')) + " edition 2"); // a new text, close to the twin's
    }
    Files.write(item, lines);
    return item;
  }

  private void assertNewItemsLookLikeTheirTextTwins(LoadedArtifact v2) {
    Tensor table = v2.weights().get("item_embedding");
    int d = table.dim(1);
    for (int n = 1; n <= NEW_ITEMS; n++) {
      int cold = v2.itemIds().indexOf("new-" + n);
      int twin = v2.itemIds().indexOf(data.itemId(n));
      assertThat(cold).isPositive();
      double toTwin = cosine(table, cold, twin, d);
      int closer = 0;
      for (int i = 1; i < v2.itemIds().size(); i++) if (i != cold && i != twin && cosine(table, cold, i, d) > toTwin) closer++;
      // Nearly the same text gives nearly the same LM embedding, so the estimated row lands near the twin's trained row.
      assertThat(closer).as("items closer to new-%d than its text twin", n).isLessThan(v2.itemIds().size() / 10);
    }
  }

  private static double cosine(Tensor t, int a, int b, int d) {
    double dot = 0, na = 0, nb = 0;
    for (int k = 0; k < d; k++) {
      float x = t.data()[a * d + k], y = t.data()[b * d + k];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb + 1e-12);
  }

  /** An item's stored LM embedding in an artifact's P2Rec files. */
  private static float[] lmRow(Path artifactDir, String itemId) {
    LoadedArtifact a = ArtifactReader.load(artifactDir);
    Tensor items = SafeTensors.read(a.extraFile(P2RecArtifactFiles.ITEM_EMBEDDINGS)).get("items");
    int i = a.itemIds().indexOf(itemId);
    int h = items.dim(1);
    return java.util.Arrays.copyOfRange(items.data(), i * h, (i + 1) * h);
  }

  /** One live event for {@code user}: the next item of its synthetic sequence after the archived ones. */
  private String sendLive(String user) throws Exception {
    int u = data.userIds().indexOf(user);
    List<String> history = live.computeIfAbsent(user, k -> new ArrayList<>());
    String item = u < 0 ? data.itemId(1 + liveCounter % data.numItems()) : data.itemId(data.sequence(u)[(history.size() * 7 + 3) % data.sequence(u).length]);
    String id = "live-" + (++liveCounter);
    Instant t = Instant.now().minus(Duration.ofMinutes(5)).plusMillis(liveCounter);
    InteractionEvent e = InteractionEvent.newBuilder().setEventId(id).setUserId(user).setItemId(item)
        .setEventType(EventType.PURCHASE).setEventTime(t).build();
    kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), events.encode(e));
    history.add(item);
    expectedHistory.put(id, List.copyOf(history));
    return id;
  }

  private List<Recommendation> readRecommendations(int atLeast) throws Exception {
    List<Recommendation> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readUntil(OUT, Duration.ofSeconds(120), all -> all.size() >= atLeast)) out.add(recs.decode(r.value()));
    assertThat(out).hasSizeGreaterThanOrEqualTo(atLeast);
    return out;
  }

  /** Every announcement on the topic, once it holds at least {@code atLeast}. */
  private List<String> modelUpdates(int atLeast) throws Exception {
    List<String> versions = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readUntil(MODELS, Duration.ofSeconds(30), all -> all.size() >= atLeast)) {
      versions.add(AvroCodec.of(ModelUpdate.class).decode(r.value()).getModelVersion());
    }
    return versions;
  }

  private void probeUntilServing(String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      sendLive("probe");
      if (readRecommendations(expectedHistory.size()).stream().anyMatch(r -> r.getModelVersion().equals(version))) return;
      Thread.sleep(200);
    }
    throw new AssertionError("model " + version + " never served");
  }

  private static void waitForArchive(Path archive, int liveEvents) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (countLive(archive) >= liveEvents) return;
      Thread.sleep(300);
    }
    throw new AssertionError("the archive never received the " + liveEvents + " live events");
  }

  private static int countLive(Path archive) throws Exception {
    int n = 0;
    try (Stream<Path> files = Files.walk(archive)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        try (var reader = new org.apache.avro.file.DataFileReader<>(f.toFile(), new org.apache.avro.specific.SpecificDatumReader<>(InteractionEvent.class))) {
          for (InteractionEvent e : reader) if (e.getEventId().startsWith("live-")) n++;
        }
      }
    }
    return n;
  }
}
