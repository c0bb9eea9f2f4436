package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.CapturedLogs;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.TestModels;
import org.lmrec.stream.TestTls;
import org.lmrec.flink.kafka.KafkaClientProperties;

/**
 * The streaming job against a broker whose only client listener is mutual TLS: it reads, scores
 * and writes with the settings passed under {@code lmrec.kafka.properties.}, and no log line
 * carries a password. A client without the trust store, or without TLS, gets nothing.
 */
class KafkaTlsITCase {
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
    SecuredJobRun.createTopics(kafka);
    v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, 30, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  @Test
  void theJobReadsInteractionsAndWritesRecommendationsAndDeadLettersOverMutualTls() throws Exception {
    // Kafka's client configuration dumps (INFO) are captured too: each client the job starts logs its settings.
    try (CapturedLogs logs = CapturedLogs.start("org.apache.kafka.clients", "org.apache.kafka.common.config")) {
      SecuredJobRun.Result run = SecuredJobRun.run(kafka, SecuredJobRun.options(kafka, dir, v1, tls.clientProperties()), 6);

      assertThat(run.recommendations()).extracting(Recommendation::getTriggeringEventId).containsExactlyInAnyOrderElementsOf(run.sent());
      assertThat(run.recommendations()).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));
      assertThat(run.deadLetters()).singleElement().satisfies(d -> assertThat(d.getSourceTopic()).isEqualTo(SecuredJobRun.IN));

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
      assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains(SecuredJobRun.IN, SecuredJobRun.OUT);
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
