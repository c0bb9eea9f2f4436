package org.lmrec.stream.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The command-line way to pass Kafka client settings (TLS, SASL, ...) to a tool: a properties file,
 * then single settings that win over it. Used as a picocli {@code @Mixin}.
 */
public final class KafkaClientOptions {
  @Option(names = "--kafka-properties", paramLabel = "FILE",
      description = "Java properties file of extra Kafka client settings (TLS, SASL, ...) for every Kafka client; see docs/kafka-security.md.")
  Path file;

  // A list, not picocli's map type: picocli echoes a malformed map entry, which may hold a secret.
  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "One extra Kafka client setting (repeatable); wins over --kafka-properties.")
  List<String> pairs = new ArrayList<>();

  /** The file's settings, then the single ones; refused keys throw {@link IllegalArgumentException}. */
  public KafkaClientProperties properties() throws IOException {
    KafkaClientProperties fromFile = file == null ? KafkaClientProperties.none() : KafkaClientProperties.of(readFile(file));
    return fromFile.overriddenBy(KafkaClientProperties.of(parsePairs(pairs)));
  }

  static Map<String, String> readFile(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IllegalArgumentException e) {
      // Properties.load names only the malformed escape, never the line, so no secret leaks here.
      throw new IllegalArgumentException("--kafka-properties " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  static Map<String, String> parsePairs(List<String> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      // The argument itself is not echoed: it may be a secret typed with the wrong separator.
      if (eq <= 0) throw new IllegalArgumentException("--kafka-property wants KEY=VALUE; got an argument of " + pair.length() + " characters without a key before '='");
      m.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return m;
  }
}
