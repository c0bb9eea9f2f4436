package org.lmrec.flink.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * Extra Kafka client settings (TLS, SASL, timeouts, ...) the operator gives every Kafka client the
 * project creates: the streaming job's sources and sinks, the retraining's announcer, the demo and
 * benchmark tools. Settings the job decides itself ({@link #OWNED}) are refused rather than silently
 * overridden, and values of secret-looking keys never appear in {@link #toString()} or in an error.
 */
public final class KafkaClientProperties implements Serializable {
  private static final long serialVersionUID = 1L;

  /** In the job's configuration, {@code lmrec.kafka.properties.security.protocol=SSL} sets {@code security.protocol}. */
  public static final String CONFIG_PREFIX = "lmrec.kafka.properties.";

  /** Shown instead of a secret's value; fixed, so not even its length leaks. */
  public static final String MASK = "******";

  /** Client settings the project sets itself, each with where to change it instead. */
  public static final Map<String, String> OWNED = owned();

  private static final int MAX_KEY_LENGTH = 256;
  private static final String[] SECRET_MARKERS = {"password", "secret", "jaas", "key", "token", "credential"};

  private final SortedMap<String, String> values;

  private KafkaClientProperties(SortedMap<String, String> values) {
    this.values = values;
  }

  public static KafkaClientProperties none() {
    return new KafkaClientProperties(new TreeMap<>());
  }

  /** Checks every key; throws {@link IllegalArgumentException} (values of secrets masked) on the first refused one. */
  public static KafkaClientProperties of(Map<String, String> given) {
    TreeMap<String, String> checked = new TreeMap<>();
    given.forEach((rawKey, value) -> {
      String key = rawKey == null ? "" : rawKey.strip();
      if (key.isEmpty()) throw new IllegalArgumentException("Kafka client property with an empty key");
      if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
        throw new IllegalArgumentException("Kafka client property key '" + printable(key) + "' (" + key.length()
            + " characters) is not a Kafka setting name (printable ASCII, no spaces, at most " + MAX_KEY_LENGTH + " characters)");
      }
      if (OWNED.containsKey(key)) {
        throw new IllegalArgumentException("Kafka client property '" + key + "' is set by lmrec itself and cannot be passed through: "
            + OWNED.get(key));
      }
      if (value == null) throw new IllegalArgumentException("Kafka client property '" + key + "' has no value");
      checked.put(key, value);
    });
    return new KafkaClientProperties(checked);
  }

  /** The settings of a Java properties file (UTF-8), checked like {@link #of}. */
  public static KafkaClientProperties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IllegalArgumentException e) {
      // Properties.load names only the malformed escape, never the line, so no secret leaks here.
      throw new IllegalArgumentException("Kafka client properties " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return of(m);
  }

  /** The settings under {@link #CONFIG_PREFIX} in the job's configuration, prefix removed. */
  public static KafkaClientProperties fromConfiguration(Configuration options) {
    Map<String, String> found = new LinkedHashMap<>();
    options.toMap().forEach((key, value) -> {
      if (key.startsWith(CONFIG_PREFIX)) found.put(key.substring(CONFIG_PREFIX.length()), value);
    });
    return of(found);
  }

  /** Writes these settings into a job configuration, under {@link #CONFIG_PREFIX}. */
  public void writeTo(Configuration options) {
    values.forEach((key, value) -> options.setString(CONFIG_PREFIX + key, value));
  }

  /** These settings, then {@code later}'s; a key in both takes {@code later}'s value. */
  public KafkaClientProperties overriddenBy(KafkaClientProperties later) {
    TreeMap<String, String> merged = new TreeMap<>(values);
    merged.putAll(later.values);
    return new KafkaClientProperties(merged);
  }

  /**
   * {@code base} (the client's own settings) with these added. They win over a tuning default of
   * the base (linger.ms, compression.type); an owned key never reaches here, see {@link #of}.
   */
  public Properties addTo(Properties base) {
    values.forEach(base::setProperty);
    return base;
  }

  /** The same, for clients configured with a map. */
  public Map<String, Object> addTo(Map<String, Object> base) {
    base.putAll(values);
    return base;
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableSortedMap(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Whether a value under this key is treated as a secret: the key names a password, secret, JAAS config, key, token or credential. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String marker : SECRET_MARKERS) {
      if (k.contains(marker)) return true;
    }
    return false;
  }

  /** The value as it may be shown: {@link #MASK} for a secret. */
  public static String shown(String key, String value) {
    return isSecret(key) ? MASK : value;
  }

  /** Keys and values as they may be logged: every secret masked. */
  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + shown(e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaClientProperties other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The key up to its first space or control character, at most 64 characters: what follows may be a mistyped secret. */
  private static String printable(String key) {
    int end = 0;
    while (end < key.length() && end < 64 && key.charAt(end) > ' ' && key.charAt(end) < 0x7f) end++;
    return key.substring(0, end) + "...";
  }

  private static Map<String, String> owned() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bootstrap.servers", "set lmrec.kafka.bootstrap-servers (job) or --bootstrap-servers/--bootstrap (tools)");
    String bytes = "lmrec reads and writes Avro bytes itself";
    m.put("key.serializer", bytes);
    m.put("value.serializer", bytes);
    m.put("key.deserializer", bytes);
    m.put("value.deserializer", bytes);
    String delivery = "follows lmrec.sink.delivery";
    m.put("transactional.id", "derived from lmrec.sink.transactional-id-prefix (default: lmrec.job.name)");
    m.put("transaction.timeout.ms", delivery);
    m.put("enable.idempotence", delivery);
    m.put("acks", delivery + " (the announcer always waits for all replicas)");
    m.put("group.id", "set lmrec.kafka.group-id");
    m.put("group.instance.id", "each source reader is its own member, set by the connector");
    m.put("client.id", "set per client by lmrec and the connector");
    m.put("client.id.prefix", "set per client by lmrec and the connector");
    m.put("enable.auto.commit", "offsets are committed with the job's checkpoints");
    m.put("commit.offsets.on.checkpoint", "offsets are committed with the job's checkpoints");
    m.put("auto.offset.reset", "each source's start position is fixed by the job");
    m.put("partition.discovery.interval.ms", "set by the job");
    return Collections.unmodifiableMap(m);
  }
}
