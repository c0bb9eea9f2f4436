package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.stream.CapturedLogs;
import org.lmrec.stream.DeliveryMode;
import org.lmrec.stream.StreamingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.lmrec.flink.kafka.KafkaClientOptions;
import org.lmrec.flink.kafka.KafkaClientProperties;

class KafkaClientPropertiesTest {
  static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\"jaas-pw-1\";";

  @TempDir Path dir;

  /** The settings an operator typically passes for SASL over TLS, every secret distinct. */
  static Map<String, String> saslSsl() {
    Map<String, String> m = new HashMap<>();
    m.put("security.protocol", "SASL_SSL");
    m.put("sasl.mechanism", "PLAIN");
    m.put("sasl.jaas.config", JAAS);
    m.put("ssl.truststore.location", "/etc/kafka/truststore.p12");
    m.put("ssl.truststore.password", "trust-pw-2");
    m.put("ssl.keystore.password", "keystore-pw-3");
    m.put("ssl.key.password", "key-pw-4");
    m.put("sasl.client.callback.handler.secret", "handler-secret-5");
    return m;
  }

  static final String[] SECRETS = {"jaas-pw-1", "trust-pw-2", "keystore-pw-3", "key-pw-4", "handler-secret-5"};

  @Test
  void theJobTakesEveryKeyUnderItsPrefixAndNothingElse() {
    Configuration o = new Configuration();
    o.setString("lmrec.kafka.properties.security.protocol", "SSL");
    o.setString("lmrec.kafka.properties.ssl.truststore.location", "/t.p12");
    o.setString("lmrec.kafka.properties.request.timeout.ms", "45000");
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, "broker:9093");
    o.set(StreamingOptions.CONSUMER_GROUP, "g");

    assertThat(KafkaClientProperties.fromConfiguration(o).asMap()).containsExactlyInAnyOrderEntriesOf(
        Map.of("security.protocol", "SSL", "ssl.truststore.location", "/t.p12", "request.timeout.ms", "45000"));
    assertThat(KafkaClientProperties.fromConfiguration(new Configuration()).isEmpty()).isTrue();
  }

  @Test
  void everySettingTheJobOwnsIsRefusedWithWhereToSetItInstead() {
    assertThat(KafkaClientProperties.OWNED).containsKeys(
        "bootstrap.servers", "key.serializer", "value.deserializer", "transactional.id", "enable.idempotence",
        "acks", "group.id", "client.id", "enable.auto.commit", "auto.offset.reset");
    for (String key : KafkaClientProperties.OWNED.keySet()) {
      Configuration o = new Configuration();
      o.setString("lmrec.kafka.properties." + key, "x");
      assertThatThrownBy(() -> KafkaClientProperties.fromConfiguration(o))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + key + "' is set by lmrec itself")
          .hasMessageContaining(KafkaClientProperties.OWNED.get(key));
    }
    // Refused before anything is built, so a job with one never starts.
    Configuration o = new Configuration();
    o.setString("lmrec.kafka.properties.bootstrap.servers", "elsewhere:9092");
    assertThatThrownBy(() -> KafkaEndpoints.from(o)).hasMessageContaining("lmrec.kafka.bootstrap-servers");
  }

  @Test
  void keysThatAreNoKafkaSettingNamesAreRefused() {
    assertThatThrownBy(() -> KafkaClientProperties.of(Map.of(" ", "x"))).hasMessageContaining("empty key");
    assertThatThrownBy(() -> KafkaClientProperties.of(Map.of("ssl truststore", "x"))).hasMessageContaining("not a Kafka setting name");
    assertThatThrownBy(() -> KafkaClientProperties.of(Map.of("a".repeat(300), "x"))).hasMessageContaining("not a Kafka setting name");
  }

  @Test
  void theySitOnTopOfAClientsOwnTuningDefaultsAndLaterSettingsWin() {
    KafkaClientProperties file = KafkaClientProperties.of(Map.of("linger.ms", "20", "security.protocol", "SSL"));
    KafkaClientProperties merged = file.overriddenBy(KafkaClientProperties.of(Map.of("security.protocol", "SASL_SSL")));
    Properties base = new Properties();
    base.setProperty("linger.ms", "2");
    base.setProperty("bootstrap.servers", "b:9092");

    merged.addTo(base);

    assertThat(base).containsEntry("linger.ms", "20").containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "b:9092");
  }

  @Test
  void secretsAreMaskedInToStringAndErrorMessages() {
    KafkaClientProperties p = KafkaClientProperties.of(saslSsl());
    String shown = p.toString();
    assertThat(shown).contains("security.protocol=SASL_SSL", "ssl.truststore.location=/etc/kafka/truststore.p12",
        "sasl.jaas.config=******", "ssl.key.password=******", "ssl.keystore.password=******", "ssl.truststore.password=******");
    for (String secret : SECRETS) assertThat(shown).doesNotContain(secret);

    // A refused key next to secrets: the error names the key, never a value.
    Map<String, String> withOwned = new HashMap<>(saslSsl());
    withOwned.put("transactional.id", "tx-secret-6");
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> KafkaClientProperties.of(withOwned));
    assertThat(refused).hasMessageContaining("transactional.id");
    for (String secret : SECRETS) assertThat(refused.getMessage()).doesNotContain(secret);
    assertThat(refused.getMessage()).doesNotContain("tx-secret-6");
  }

  @Test
  void theJobLogsItsClientSettingsWithEverySecretMasked() {
    Configuration o = new Configuration();
    o.set(StreamingOptions.DELIVERY, DeliveryMode.EXACTLY_ONCE);
    o.set(StreamingOptions.REQUIRE_SIGNATURE, false); // only the Kafka settings matter here
    KafkaClientProperties.of(saslSsl()).writeTo(o);

    try (CapturedLogs logs = CapturedLogs.start()) {
      KafkaEndpoints.from(o); // builds every source and sink; nothing connects yet
      assertThat(logs.lines()).anyMatch(l -> l.contains("Kafka clients of the job get") && l.contains("sasl.jaas.config=******"));
      for (String secret : SECRETS) assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
    }
  }

  @Command(name = "tool")
  static final class Tool {
    @Mixin KafkaClientOptions kafka = new KafkaClientOptions();
  }

  @Test
  void toolsReadAPropertiesFileAndSingleSettingsThatWinOverIt() throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SSL\nssl.truststore.location=/a.p12\nssl.truststore.password=trust-pw-2\n", StandardCharsets.UTF_8);
    Tool tool = new Tool();
    new CommandLine(tool).parseArgs("--kafka-properties", file.toString(),
        "--kafka-property", "ssl.truststore.location=/b.p12", "--kafka-property", "sasl.jaas.config=" + JAAS);

    assertThat(tool.kafka.properties().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SSL", "ssl.truststore.location", "/b.p12", "ssl.truststore.password", "trust-pw-2", "sasl.jaas.config", JAAS));
  }

  @Test
  void aToolRefusesOwnedOrMalformedSettingsWithoutEchoingTheirValues() throws Exception {
    Tool owned = new Tool();
    new CommandLine(owned).parseArgs("--kafka-property", "enable.idempotence=false");
    assertThatThrownBy(() -> owned.kafka.properties()).hasMessageContaining("'enable.idempotence' is set by lmrec itself");

    Tool typo = new Tool();
    new CommandLine(typo).parseArgs("--kafka-property", "=keystore-pw-3");
    assertThatThrownBy(() -> typo.kafka.properties()).hasMessageContaining("KEY=VALUE").hasMessageNotContaining("keystore-pw-3");

    Tool spaced = new Tool();
    new CommandLine(spaced).parseArgs("--kafka-property", "ssl.key.password key-pw-4=x");
    assertThatThrownBy(() -> spaced.kafka.properties()).hasMessageContaining("'ssl.key.password...'").hasMessageNotContaining("key-pw-4");

    Path file = dir.resolve("broken.properties");
    Files.writeString(file, "ssl.key.password=key-pw-4\\uZZZZ\n", StandardCharsets.UTF_8);
    Tool broken = new Tool();
    new CommandLine(broken).parseArgs("--kafka-properties", file.toString());
    assertThatThrownBy(() -> broken.kafka.properties()).hasMessageContaining(file.toString()).hasMessageNotContaining("key-pw-4");
  }
}
