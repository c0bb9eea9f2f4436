package org.lmrec.stream.console;

import java.io.IOException;
import java.util.Properties;
import org.lmrec.flink.kafka.KafkaClientOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the console's Kafka clients connect: the bootstrap servers, then the operator's TLS/SASL settings. A picocli mixin of each command. */
final class ConsoleConnection {
  @Option(names = {"--bootstrap", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, as the job's lmrec.kafka.bootstrap-servers).")
  String bootstrap = "127.0.0.1:9092";

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  Properties clientSettings() throws IOException {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    // A console must answer quickly when the broker is down, not after the client's 60 s default.
    p.put("default.api.timeout.ms", "15000");
    p.put("request.timeout.ms", "15000");
    return kafka.properties().addTo(p);
  }
}
