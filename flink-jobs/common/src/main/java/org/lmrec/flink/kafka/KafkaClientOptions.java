package org.lmrec.flink.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    KafkaClientProperties fromFile = file == null ? KafkaClientProperties.none() : KafkaClientProperties.load(file);
    return fromFile.overriddenBy(KafkaClientProperties.of(parsePairs(pairs)));
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
