package org.lmrec.stream.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.flink.announce.AnnouncementKeys;
import org.lmrec.flink.announce.AnnouncementVerifier;
import org.lmrec.flink.deadletter.DeadLetters;
import org.lmrec.schema.ArmComparison;
import org.lmrec.schema.ArmResult;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.stream.ingest.InteractionRecordDeserializer;
import org.lmrec.stream.scoring.ModelAnnouncement;
import org.lmrec.stream.scoring.ModelUpdateDeserializer;
import org.lmrec.stream.summary.SummaryFixtures;

/** {@code lmrec-topic} against a real broker, with real Avro bytes from the project's encoders and the job's own decoders. */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a console that never ends fails here rather than hanging the build
class TopicConsoleITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AvroCodec<InteractionEvent> INTERACTIONS = AvroCodec.of(InteractionEvent.class);
  private static final AvroCodec<Recommendation> RECOMMENDATIONS = AvroCodec.of(Recommendation.class);

  @TempDir static Path dir;
  private static InProcessKafka kafka;
  private static int topics;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = new InProcessKafka(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) kafka.close();
  }

  /** A fresh topic per test, so tests never see each other's records. */
  private static String topic(String prefix) throws Exception {
    String name = prefix + "-" + (++topics);
    kafka.createTopic(name, 2, false);
    return name;
  }

  // --- send -----------------------------------------------------------------------------------

  @Test
  void sentInteractionIsAcceptedByTheJobsDecoder() throws Exception {
    String topic = topic("interactions");
    Run run = console("send", topic, "--type", "interactions",
        "{\"eventId\":\"e-1\",\"userId\":\"u-7\",\"itemId\":\"item-3\",\"eventType\":\"CLICK\",\"eventTime\":\"2026-12-01T10:00:00Z\","
            + "\"context\":{\"device\":\"phone\"}}");
    assertThat(run.code).as(run.err()).isZero();
    assertThat(run.out()).contains("sent InteractionEvent e-1 of user u-7 to " + topic);

    ConsumerRecord<byte[], byte[]> sent = kafka.readUntil(topic, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0);
    assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("u-7");
    Ingested ingested = new InteractionRecordDeserializer(64 * 1024, 256, Duration.ofHours(1))
        .ingest(sent.value(), sent.key(), topic, sent.partition(), sent.offset(), System.currentTimeMillis());
    assertThat(ingested.deadLetter).isNull();
    assertThat(ingested.interaction.eventId).isEqualTo("e-1");
    assertThat(ingested.interaction.userId).isEqualTo("u-7");
    assertThat(ingested.interaction.itemId).isEqualTo("item-3");
    assertThat(ingested.interaction.eventTime).isEqualTo(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    assertThat(INTERACTIONS.decode(sent.value()).getContext()).containsEntry("device", "phone");
  }

  @Test
  void sendReadsJsonLinesFromAFile() throws Exception {
    String topic = topic("interactions-file");
    Path lines = dir.resolve("events.jsonl");
    java.nio.file.Files.writeString(lines, "{\"eventId\":\"f-1\",\"userId\":\"u-1\",\"itemId\":\"i-1\",\"eventType\":\"VIEW\",\"eventTime\":1764583200000}\n\n"
        + "{\"eventId\":\"f-2\",\"userId\":\"u-2\",\"itemId\":\"i-2\",\"eventType\":\"PURCHASE\",\"eventTime\":1764583260000}\n");
    Run run = console("send", topic, "--type", "interactions", "--file", lines.toString());
    assertThat(run.code).as(run.err()).isZero();
    List<ConsumerRecord<byte[], byte[]>> sent = kafka.readUntil(topic, Duration.ofSeconds(30), l -> l.size() >= 2);
    assertThat(sent).extracting(r -> INTERACTIONS.decode(r.value()).getEventId()).containsExactlyInAnyOrder("f-1", "f-2");
    assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("u-1", "u-2");
  }

  @Test
  void sentAnnouncementIsSignedWithTheProjectsSignerAndVerifiedByTheJob() throws Exception {
    String topic = topic("model-updates");
    AnnouncementKeys.KeyPairFiles keys = AnnouncementKeys.generate(dir.resolve("keys"), "console-test", new SecureRandom());
    ModelArtifact artifact = ArtifactReader.readManifest(SummaryFixtures.artifact(dir.resolve("signed-artifacts"), 5, 1));
    String announcement = "{\"modelVersion\":\"v1\",\"artifactUri\":\"" + artifact.dir().toUri() + "\",\"manifestSha256\":\""
        + artifact.manifestSha256() + "\",\"kind\":\"SASREC\",\"createdAt\":\"2026-12-02T00:00:00Z\"}";

    Run unsignedByMistake = console("send", topic, "--type", "model-updates", announcement);
    assertThat(unsignedByMistake.code).isEqualTo(1);
    assertThat(unsignedByMistake.err()).contains("give --signing-key").doesNotContain("\tat ");

    Run run = console("send", topic, "--type", "model-updates", "--signing-key", keys.privateKey().toString(), announcement);
    assertThat(run.code).as(run.err()).isZero();
    ConsumerRecord<byte[], byte[]> sent = kafka.readUntil(topic, Duration.ofSeconds(30), l -> !l.isEmpty()).get(0);
    assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("sasrec");
    ModelAnnouncement verdict = new ModelUpdateDeserializer(AnnouncementVerifier.fromFiles(List.of(keys.publicKey()), true))
        .announce(sent.value(), sent.key(), topic, sent.partition(), sent.offset(), System.currentTimeMillis());
    assertThat(verdict.deadLetter).isNull();
    assertThat(verdict.pointer.version).isEqualTo("v1");
    assertThat(verdict.pointer.manifestSha256).isEqualTo(artifact.manifestSha256());

    // Tailing with the job's trusted keys gives the job's verdict: accepted with the signer's key, refused with another.
    Run trusted = console("tail", topic, "--type", "model-updates", "--from", "beginning", "--exit-at-end", "--trusted-keys", keys.publicKey().toString());
    assertThat(single(trusted).get("value").get("keyId").asText()).isEqualTo("console-test");
    assertThat(single(trusted).has("jobRefuses")).isFalse();
    AnnouncementKeys.KeyPairFiles other = AnnouncementKeys.generate(dir.resolve("other-keys"), "someone-else", new SecureRandom());
    Run untrusted = console("tail", topic, "--type", "model-updates", "--from", "beginning", "--exit-at-end", "--trusted-keys", other.publicKey().toString());
    assertThat(single(untrusted).get("jobRefuses").asText()).contains("signed with key 'console-test', which is not among the trusted keys");
  }

  @Test
  void invalidJsonIsRefusedWithWhatIsWrongAndNothingIsSent() throws Exception {
    String topic = topic("refusals");
    String valid = "{\"eventId\":\"e-1\",\"userId\":\"u-1\",\"itemId\":\"i-1\",\"eventType\":\"VIEW\",\"eventTime\":1764583200000}";
    Map<String, String> refusals = Map.of(
        "{\"eventId\":\"e-2\",\"userId\":\"u-1\",\"eventType\":\"VIEW\",\"eventTime\":1}", "missing required field 'itemId'",
        "{\"eventId\":\"e-2\",\"userId\":\"u-1\",\"itemId\":\"i-1\",\"eventType\":\"LIKE\",\"eventTime\":1}", "$.eventType: expected one of [VIEW",
        "{\"eventId\":\"e-2\",\"userId\":\"u-1\",\"itemId\":\"i-1\",\"eventType\":\"VIEW\",\"eventTime\":1,\"rating\":5}", "unknown field 'rating'",
        "{\"eventId\":\"e-2\",\"userId\":\"u-1\",\"itemId\":\"i-1\",\"eventType\":\"VIEW\",\"eventTime\":\"yesterday\"}", "$.eventTime: expected a time",
        "{\"eventId\":\"e-2\",\"userId\":\"u 1\",\"itemId\":\"i-1\",\"eventType\":\"VIEW\",\"eventTime\":1}", "the job would refuse it as a dead letter",
        "{\"eventId\":\"e-2\",", "not valid JSON");
    for (Map.Entry<String, String> r : refusals.entrySet()) {
      // The valid object first: one bad object must stop the whole batch.
      Run run = console("send", topic, "--type", "interactions", valid, r.getKey());
      assertThat(run.code).as(r.getKey()).isEqualTo(1);
      assertThat(run.err()).as(r.getKey()).contains("object 2: ").contains(r.getValue()).contains("nothing was sent").doesNotContain("\tat ");
    }
    Run toOutput = console("send", topic, "--type", "recommendations", valid);
    assertThat(toOutput.err()).contains("send writes the job's inputs only");
    assertThat(endOffsets(topic)).isZero();
  }

  // --- tail -----------------------------------------------------------------------------------

  @Test
  void tailDecodesRecordsOfTheProjectsEncodersToJsonWithTitles() throws Exception {
    String topic = topic("recommendations");
    Path artifact = SummaryFixtures.artifact(dir.resolve("title-artifacts"), 5, 1);
    kafka.send(topic, bytes("e-1"), RECOMMENDATIONS.encode(recommendation("e-1", "u-1", "item-2", "item-4")));

    Run run = console("tail", topic, "--type", "recommendations", "--from", "beginning", "--max", "1", "--timeout", "60s", "--titles", artifact.toString());
    assertThat(run.code).as(run.err()).isZero();
    JsonNode line = single(run);
    assertThat(line.get("key").asText()).isEqualTo("e-1");
    assertThat(line.get("type").asText()).isEqualTo("Recommendation v2");
    JsonNode value = line.get("value");
    assertThat(value.get("userId").asText()).isEqualTo("u-1");
    assertThat(value.get("modelVersion").asText()).isEqualTo("v1");
    assertThat(value.get("items").get(0).get("itemId").asText()).isEqualTo("item-2");
    assertThat(value.get("items").get(0).get("title").asText()).isEqualTo("Title 2 desks");
    assertThat(value.get("items").get(1).get("title").asText()).isEqualTo("Title 4 pens");
  }

  @Test
  void tailShowsDeadLettersAndExperimentResultsOnATopicOfAnyName() throws Exception {
    String topic = topic("dead-letters");
    byte[] garbage = {1, 2, 3};
    kafka.send(topic, bytes("lmrec.interactions/0/41"),
        AvroCodec.of(org.lmrec.schema.DeadLetter.class).encode(DeadLetters.of(garbage, bytes("u-9"), "lmrec.interactions", 0, 41,
            "Cannot decode InteractionEvent from 3 bytes: no single-object header", null, 1024, 1_764_583_200_000L)));

    kafka.send(topic, bytes("exp-1"), AvroCodec.of(ExperimentResult.class).encode(experimentResult()));

    // No --type: each record names its own schema by its fingerprint.
    Run run = console("tail", topic, "--from", "beginning", "--exit-at-end", "--timeout", "60s");
    assertThat(run.code).as(run.err()).isZero();
    List<JsonNode> lines = lines(run);
    assertThat(lines).hasSize(2);
    JsonNode line = lines.stream().filter(l -> l.get("key").asText().startsWith("lmrec.interactions")).findFirst().orElseThrow();
    assertThat(line.get("type").asText()).isEqualTo("DeadLetter v1");
    assertThat(line.get("value").get("reason").asText()).startsWith("Cannot decode InteractionEvent from 3 bytes");
    assertThat(line.get("value").get("sourceOffset").asLong()).isEqualTo(41);
    assertThat(line.get("value").get("rawKey").asText()).isEqualTo("u-9");
    assertThat(line.get("value").get("rawValue").asText()).isEqualTo("010203");
    JsonNode result = lines.stream().filter(l -> l.get("key").asText().equals("exp-1")).findFirst().orElseThrow();
    assertThat(result.get("type").asText()).isEqualTo("ExperimentResult v1");
    assertThat(result.get("value").get("arms").get(1).get("hitRate").asDouble()).isEqualTo(0.25);
    assertThat(result.get("value").get("comparisons").get(0).get("significant").asBoolean()).isTrue();
  }

  @Test
  void tailFiltersByUserAndByKey() throws Exception {
    String topic = topic("by-user");
    for (int i = 0; i < 6; i++) {
      String user = i % 2 == 0 ? "u-even" : "u-odd";
      kafka.send(topic, bytes("e-" + i), RECOMMENDATIONS.encode(recommendation("e-" + i, user, "item-1")));
    }
    Run byUser = console("tail", topic, "--from", "beginning", "--exit-at-end", "--timeout", "60s", "--user", "u-odd");
    assertThat(byUser.code).as(byUser.err()).isZero();
    assertThat(lines(byUser)).extracting(l -> l.get("value").get("triggeringEventId").asText()).containsExactlyInAnyOrder("e-1", "e-3", "e-5");

    Run byKey = console("tail", topic, "--from", "beginning", "--exit-at-end", "--timeout", "60s", "--key", "e-4");
    assertThat(lines(byKey)).extracting(l -> l.get("value").get("userId").asText()).containsExactly("u-even");
  }

  @Test
  void maxAndTimeoutEndTheTail() throws Exception {
    String topic = topic("busy");
    for (int i = 0; i < 10; i++) kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("e-" + i, "u-1")));

    Run max = console("tail", topic, "--type", "interactions", "--from", "beginning", "--max", "3", "--timeout", "20s");
    assertThat(max.code).as(max.err()).isZero();
    assertThat(lines(max)).hasSize(3);
    assertThat(max.err()).contains("--max 3 reached");

    // From the end nothing new arrives: only the timeout ends it.
    long start = System.nanoTime();
    Run timeout = console("tail", topic, "--type", "interactions", "--timeout", "2s");
    assertThat(timeout.code).as(timeout.err()).isZero();
    assertThat(lines(timeout)).isEmpty();
    assertThat(timeout.err()).contains("--timeout 2 s passed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void liveTailFromTheEndPrintsWhatArrivesAfterItStarted() throws Exception {
    String topic = topic("live");
    kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("old", "u-1")));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      MarkedWriter err = new MarkedWriter("reading " + topic);
      StringWriter out = new StringWriter();
      Future<Integer> tail = pool.submit(() -> execute(out, err, "tail", topic, "--max", "1", "--timeout", "60s"));
      assertThat(err.seen.await(60, TimeUnit.SECONDS)).as(err.toString()).isTrue();
      kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("new", "u-1")));
      assertThat(tail.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
      List<JsonNode> lines = lines(out.toString());
      assertThat(lines).extracting(l -> l.get("value").get("eventId").asText()).containsExactly("new");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void garbageIsReportedWithItsOffsetAndTheTailGoesOn() throws Exception {
    String topic = "lmrec.interactions"; // the job's default name: decoded as interactions without --type
    kafka.createTopic(topic, 1, false);
    kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("before", "u-1")));
    kafka.send(topic, bytes("u-1"), new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
    kafka.send(topic, bytes("u-1"), AvroCodec.of(ModelUpdate.class).encode(ModelUpdate.newBuilder().setModelVersion("v1").setArtifactUri("file:///a")
        .setManifestSha256("00").setKind(org.lmrec.schema.ModelKind.SASREC).setCreatedAt(Instant.EPOCH).build()));
    kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("future", "u-1", Instant.now().plus(Duration.ofDays(2)))));
    kafka.send(topic, bytes("u-1"), INTERACTIONS.encode(interaction("after", "u-1")));

    Run run = console("tail", topic, "--from", "beginning", "--exit-at-end", "--timeout", "60s");
    assertThat(run.code).as(run.err()).isZero();
    List<JsonNode> lines = lines(run);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0).get("value").get("eventId").asText()).isEqualTo("before");
    assertThat(lines.get(1).get("offset").asLong()).isEqualTo(1);
    assertThat(lines.get(1).get("undecodable").asText()).contains("no single-object header").contains("de ad");
    assertThat(lines.get(2).get("undecodable").asText()).contains("is ModelUpdate v3, not InteractionEvent");
    assertThat(lines.get(3).get("value").get("eventId").asText()).isEqualTo("future");
    assertThat(lines.get(3).get("jobRefuses").asText()).contains("ahead of the job's clock");
    assertThat(lines.get(4).get("value").get("eventId").asText()).isEqualTo("after");
    assertThat(lines.get(4).has("jobRefuses")).isFalse();
    assertThat(run.err()).contains("5 printed of 5 read, 2 undecodable");
  }

  @Test
  void userMistakesAreOneLineErrors() throws Exception {
    Run missing = console("tail", "no-such-topic", "--timeout", "5s");
    assertThat(missing.code).isEqualTo(1);
    assertThat(missing.err()).contains("topic 'no-such-topic' does not exist at").doesNotContain("\tat ");
    Run from = console("tail", "x", "--from", "middle");
    assertThat(from.err()).contains("--from is beginning or end, not 'middle'");
    Run type = console("tail", "x", "--type", "clicks");
    assertThat(type.err()).contains("unknown topic type 'clicks'; one of interactions, model-updates");
    Run timeout = console("tail", "x", "--timeout", "soon");
    assertThat(timeout.err()).contains("--timeout wants a duration");
    Run owned = console("send", "x", "--type", "interactions", "--kafka-property", "bootstrap.servers=elsewhere:9092", "{}");
    assertThat(owned.err()).contains("'bootstrap.servers' is set by lmrec itself").doesNotContain("\tat ");
    Run unknownTopicKind = console("send", "x", "{}");
    assertThat(unknownTopicKind.err()).contains("give --type interactions or --type model-updates");
    Run noTitles = console("tail", "x", "--titles", dir.resolve("nothing").toString());
    assertThat(noTitles.code).isEqualTo(1);
    assertThat(noTitles.err()).startsWith("lmrec-topic: ").doesNotContain("\tat ");
  }

  // --- helpers --------------------------------------------------------------------------------

  private record Run(int code, StringWriter outText, StringWriter errText) {
    String out() {
      return outText.toString();
    }

    String err() {
      return errText.toString();
    }
  }

  private static Run console(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = execute(out, err, args);
    return new Run(code, out, err);
  }

  private static int execute(StringWriter out, StringWriter err, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--bootstrap");
    all.add(2, kafka.bootstrapServers());
    return TopicConsole.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
  }

  /** A StringWriter that opens a latch once its text contains a marker: waiting on it waits on the condition. */
  private static final class MarkedWriter extends StringWriter {
    final CountDownLatch seen = new CountDownLatch(1);
    private final String marker;

    MarkedWriter(String marker) {
      this.marker = marker;
    }

    @Override
    public void write(String str, int off, int len) {
      super.write(str, off, len);
      if (toString().contains(marker)) seen.countDown();
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      super.write(cbuf, off, len);
      if (toString().contains(marker)) seen.countDown();
    }
  }

  private static long endOffsets(String topic) throws Exception {
    return kafka.readToEnd(topic, "read_uncommitted", Duration.ofSeconds(30), l -> true).size();
  }

  private static JsonNode single(Run run) throws Exception {
    List<JsonNode> lines = lines(run);
    assertThat(lines).as(run.err()).hasSize(1);
    return lines.get(0);
  }

  private static List<JsonNode> lines(Run run) throws Exception {
    return lines(run.out());
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isBlank()) nodes.add(JSON.readTree(l));
    }
    return nodes;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static InteractionEvent interaction(String eventId, String user) {
    return interaction(eventId, user, Instant.parse("2026-12-01T10:00:00Z"));
  }

  private static InteractionEvent interaction(String eventId, String user, Instant time) {
    return InteractionEvent.newBuilder().setEventId(eventId).setUserId(user).setItemId("item-1").setEventType(EventType.CLICK).setEventTime(time).build();
  }

  private static ExperimentResult experimentResult() {
    List<ArmResult> arms = new ArrayList<>();
    for (String arm : List.of("control", "treatment")) {
      arms.add(ArmResult.newBuilder().setName(arm).setWeight(50).setModel("version v1").setUsers(40).setExposures(80)
          .setHitRate(arm.equals("control") ? 0.2 : 0.25).setEmptyLists(0).setDistinctItemsShown(12).build());
    }
    return ExperimentResult.newBuilder().setExperimentId("exp-1").setExperimentVersion(1).setMetric("hit").setAsOf(Instant.parse("2026-12-01T11:00:00Z"))
        .setAlpha(0.05).setControl("control").setArms(arms).setSrmUnit("users").setSrmChiSquare(0.0).setSrmPValue(1.0).setSrmAlarm(false)
        .setComparisons(List.of(ArmComparison.newBuilder().setTreatment("treatment").setTime(Instant.parse("2026-12-01T11:00:00Z"))
            .setDifference(0.05).setAlwaysValidP(0.01).setSignificant(true).build()))
        .build();
  }

  private static Recommendation recommendation(String eventId, String user, String... items) {
    List<ScoredItem> scored = new ArrayList<>();
    for (int i = 0; i < items.length; i++) scored.add(new ScoredItem(items[i], 1f - i * 0.1f));
    return Recommendation.newBuilder().setTriggeringEventId(eventId).setUserId(user).setItems(scored).setModelVersion("v1")
        .setProducedAt(Instant.parse("2026-12-01T10:00:01Z")).setLatencyMillis(12L).build();
  }
}
