package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
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

/** The streaming job against a broker whose only client listener is SASL_SSL with PLAIN: user and password in sasl.jaas.config. */
class KafkaSaslSslITCase {
  static final String USER = "lmrec-job";
  static final String SASL_PASSWORD = "sasl-s3cret-c41e07";

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
    kafka = InProcessKafka.saslSsl(dir.resolve("kafka"), tls, USER, SASL_PASSWORD);
    SecuredJobRun.createTopics(kafka);
    v1 = TestModels.write(dir.resolve("models"), "v1", ModelKind.SASREC, 30, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) kafka.close();
  }

  @Test
  void theJobLogsInWithItsJaasSettingsAndNoLogLineCarriesThePassword() throws Exception {
    try (CapturedLogs logs = CapturedLogs.start("org.apache.kafka.clients", "org.apache.kafka.common.config")) {
      SecuredJobRun.Result run = SecuredJobRun.run(kafka, SecuredJobRun.options(kafka, dir, v1, tls.saslSslClientProperties(USER, SASL_PASSWORD)), 4);

      assertThat(run.recommendations()).extracting(Recommendation::getTriggeringEventId).containsExactlyInAnyOrderElementsOf(run.sent());
      assertThat(run.deadLetters()).hasSize(1);
      List<String> lines = logs.lines();
      assertThat(lines).anyMatch(l -> l.contains("Kafka clients of the job get") && l.contains("sasl.jaas.config=" + KafkaClientProperties.MASK));
      assertThat(lines).anyMatch(l -> l.contains("ConsumerConfig values") && l.contains("security.protocol = SASL_SSL"));
      assertThat(lines).noneMatch(l -> l.contains(SASL_PASSWORD) || l.contains(TestTls.PASSWORD));
    }
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    Map<String, Object> config = new HashMap<>(tls.saslSslClientProperties(USER, "not-the-password"));
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("default.api.timeout.ms", "5000");
    config.put("request.timeout.ms", "4000");
    try (Admin admin = Admin.create(config)) {
      Throwable refused = catchThrowable(() -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
      assertThat(refused.getCause()).isInstanceOf(SaslAuthenticationException.class);
    }
  }
}
