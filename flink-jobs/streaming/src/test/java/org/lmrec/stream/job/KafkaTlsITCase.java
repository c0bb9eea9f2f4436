package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.CapturedLogs;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.TestTls;
import org.lmrec.stream.kafka.KafkaClientProperties;

/**
 * The streaming job against a broker whose only client listener is mutual TLS: it reads, scores
 * and writes with the settings passed under {@code lmrec.kafka.properties.}, and no log line
 * carries a password. A client without the trust store, or without TLS, gets nothing.
 */
class KafkaTlsITCase {
  static final String IN = "interactions";
  static final String OUT = "recommendations";
  static final String DLQ = "dead-letters";
  static final String MODELS = "model-updates";

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir static Path dir;
  static TestTls tls;
  static InProcessKafka kafka;
  static ModelArtifact v1;

  @BeforeAll
  static void start() throws Exception {
    tls = TestTls.generate(dir.resolve("tls"));
    kafka = new InProcessKafka(dir.resolve("kafka"), tls);
    kafka.createTopic(IN, 2, false);
    kafka.createTopic(OUT, 2, false);
    kafka.createTopic(DLQ, 1, false);
    kafka.createTopic(MODELS, 1, true);
    v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, 30, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  private static Configuration options() {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    o.set(StreamingOptions.INTERACTIONS_TOPIC, IN);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, OUT);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, DLQ);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, MODELS);
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-tls-test");
    o.set(StreamingOptions.INITIAL_MODEL, v1.dir().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.TOP_K, 5);
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    tls.clientProperties().forEach((key, value) -> o.setString(KafkaClientProperties.CONFIG_PREFIX + key, value));
    return o;
  }

  @Test
  void theJobReadsInteractionsAndWritesRecommendationsAndDeadLettersOverMutualTls() throws Exception {
    AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
    List<String> sent = new ArrayList<>();
    // Kafka's client configuration dumps (INFO) are captured too: each client the job starts logs its settings.
    try (CapturedLogs logs = CapturedLogs.start("org.apache.kafka.clients", "org.apache.kafka.common.config")) {
      Configuration options = options();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
      new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
      JobClient job = env.executeAsync("lmrec streaming over TLS");
      List<Recommendation> recommendations = new ArrayList<>();
      List<DeadLetter> deadLetters = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          String user = "user-" + (i % 3);
          InteractionEvent e = InteractionEvent.newBuilder()
              .setEventId("tls-" + i).setUserId(user).setItemId(TestModels.itemId(1 + i)).setEventType(EventType.CLICK)
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)).build();
          kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), events.encode(e));
          sent.add(e.getEventId());
        }
        kafka.send(IN, null, new byte[] {(byte) 0xde, (byte) 0xad});
        AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
        kafka.readUntil(OUT, Duration.ofSeconds(120), all -> all.size() >= sent.size()).forEach(r -> recommendations.add(recs.decode(r.value())));
        AvroCodec<DeadLetter> dead = AvroCodec.of(DeadLetter.class);
        kafka.readUntil(DLQ, Duration.ofSeconds(60), all -> !all.isEmpty()).forEach(r -> deadLetters.add(dead.decode(r.value())));
      } finally {
        job.cancel().get(60, TimeUnit.SECONDS);
      }

      assertThat(recommendations).extracting(Recommendation::getTriggeringEventId).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(recommendations).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));
      assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.getSourceTopic()).isEqualTo(IN));

      List<String> lines = logs.lines();
      assertThat(lines).anyMatch(l -> l.contains("Kafka clients of the job get") && l.contains("ssl.keystore.password=" + KafkaClientProperties.MASK));
      assertThat(lines).anyMatch(l -> l.contains("ConsumerConfig values") && l.contains("security.protocol = SSL"));
      assertThat(lines).anyMatch(l -> l.contains("ProducerConfig values") && l.contains("security.protocol = SSL"));
      assertThat(lines).noneMatch(l -> l.contains(TestTls.PASSWORD));
    }
  }

  @Test
  void aClientWithoutTheTrustStoreOrWithoutTlsGetsNothing() throws Exception {
    // With the trust store: the broker answers.
    try (Admin admin = Admin.create(adminConfig(tls.clientProperties()))) {
      assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains(IN, OUT);
    }
    // Its own certificate but no trust store: the broker's certificate is not trusted.
    try (Admin admin = Admin.create(adminConfig(tls.withoutTrustStore()))) {
      Throwable refused = catchThrowable(() -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
      assertThat(refused).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
      assertThat(refused.getCause()).isInstanceOf(SslAuthenticationException.class);
    }
    // Plaintext: there is no plaintext listener to talk to, so the call only times out.
    try (Admin admin = Admin.create(adminConfig(Map.of()))) {
      Throwable refused = catchThrowable(() -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
      assertThat(refused.getCause()).isInstanceOf(TimeoutException.class);
    }
  }

  private static Map<String, Object> adminConfig(Map<String, String> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("default.api.timeout.ms", "5000");
    config.put("request.timeout.ms", "4000");
    return config;
  }
}
