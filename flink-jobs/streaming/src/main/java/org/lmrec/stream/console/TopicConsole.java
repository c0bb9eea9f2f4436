package org.lmrec.stream.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.flink.announce.AnnouncementSigner;
import org.lmrec.flink.announce.AnnouncementVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lmrec-topic}: reads any lmrec topic as JSON lines, and sends hand-written JSON to the job's inputs. */
@Command(
    name = "lmrec-topic",
    mixinStandardHelpOptions = true,
    subcommands = {TopicConsole.Tail.class, TopicConsole.Send.class},
    description = {
      "A console for the streaming job's Kafka topics that knows their wire format (Avro single-object encoding, "
          + "docs/wire-format.md), their schemas and their message keys.",
      "A topic's record type follows from the job's default topic names (lmrec.interactions, lmrec.recommendations, "
          + "lmrec.dead-letters, lmrec.model-updates, lmrec.summaries); --type names it for others. See docs/topic-console.md."
    })
public final class TopicConsole implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** One line for a user's mistake; the stack trace only with -Dlmrec.debug=true. */
  public static CommandLine commandLine() {
    return new CommandLine(new TopicConsole())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (Boolean.getBoolean("lmrec.debug")) e.printStackTrace(cmd.getErr());
          cmd.getErr().println("lmrec-topic: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          cmd.getErr().flush();
          return 1;
        });
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  static TopicKind kindOf(String topic, String type) {
    return type == null ? TopicKind.ofDefaultName(topic) : TopicKind.parse(type);
  }

  @Command(name = "tail", mixinStandardHelpOptions = true, header = "Print a topic's records as JSON lines; ends on --max, --timeout or --exit-at-end.",
      description = {
        "Prints the records of TOPIC as JSON lines on stdout: where each one is (partition, offset, timestamp, key), its record "
            + "type and version, and its value; recommended items with their titles given --titles. A record that cannot be decoded "
            + "is one line with \"undecodable\" and the reason. On the interactions and model-update topics, \"jobRefuses\" gives "
            + "the reason the job would dead-letter a record that decodes. Where it starts and why it stopped go to stderr. "
            + "Reads with no consumer group and commits nothing."
      })
  static final class Tail implements Callable<Integer> {
    @Mixin ConsoleConnection connection;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, e.g. lmrec.recommendations.")
    String topic;

    @Option(names = "--type", paramLabel = "TYPE",
        description = "What the topic carries: one of interactions, model-updates, recommendations, exposures, dead-letters, "
            + "experiment-results, summaries, experiments, any (default: from the job's default topic names; any: decode each "
            + "record as the lmrec record its schema fingerprint names).")
    String type;

    @Option(names = "--from", paramLabel = "beginning|end", description = "Where to start in each partition (default: ${DEFAULT-VALUE}: only new records).")
    String from = "end";

    @Option(names = "--max", paramLabel = "N", description = "Stop after N printed lines (default: no limit).")
    long max;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop after this long, e.g. 30s or 5 min (default: no limit).")
    String timeout;

    @Option(names = "--exit-at-end", description = "Stop once every partition is read up to where it ended at start (with --from beginning: the topic as it was then).")
    boolean exitAtEnd;

    @Option(names = "--user", paramLabel = "USER_ID", description = "Only records whose value has this userId (interactions, recommendations, summaries).")
    String user;

    @Option(names = "--key", paramLabel = "KEY", description = "Only records with this key (UTF-8), e.g. an event id on the recommendations topic.")
    String key;

    @Option(names = "--titles", paramLabel = "ARTIFACT_DIR", description = "A model artifact with a summary catalogue: item titles beside item ids.")
    Path titles;

    @Option(names = "--trusted-keys", paramLabel = "FILE|DIR", split = ";",
        description = "Model updates: public keys (as lmrec.models.trusted-keys) to check signatures as the job does (default: signatures optional).")
    List<Path> trustedKeys;

    @Override
    public Integer call() throws Exception {
      Properties clientSettings = connection.clientSettings();
      TailSettings settings = new TailSettings(from(), max, duration(), exitAtEnd, user, key);
      TopicKind kind = kindOf(topic, type);
      ItemTitles itemTitles = titles == null ? null : ItemTitles.fromArtifact(titles);
      AnnouncementVerifier verifier = trustedKeys == null || trustedKeys.isEmpty() ? null : AnnouncementVerifier.fromFiles(trustedKeys, true);
      RecordDecoder decoder = new RecordDecoder(kind, itemTitles, verifier);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      TopicTail.Summary s = new TopicTail(clientSettings, topic, decoder, settings).run(out, err);
      err.println("lmrec-topic: " + s.why() + ": " + s.printed() + " printed of " + s.read() + " read, " + s.undecodable() + " undecodable");
      err.flush();
      return 0;
    }

    private boolean from() {
      return switch (from.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "beginning" -> true;
        case "end" -> false;
        default -> throw new IllegalArgumentException("--from is beginning or end, not '" + from + "'");
      };
    }

    private Duration duration() {
      if (timeout == null) return null;
      try {
        return TimeUtils.parseDuration(timeout);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--timeout wants a duration such as 30s, 2 min or 1h, not '" + timeout + "'");
      }
    }
  }

  @Command(name = "send", mixinStandardHelpOptions = true, header = "Send hand-written JSON interactions or model announcements, as the job expects.",
      description = {
        "Sends hand-written JSON to one of the job's Avro inputs: InteractionEvent objects to the interactions topic, ModelUpdate "
            + "objects to the model-update topic. Each object is checked against the schema (required fields, no unknown field, "
            + "types, enum symbols), encoded in the single-object encoding and put through the job's own deserializer: what the "
            + "job would dead-letter is refused with its reason, and nothing is sent unless every object passes. Times are epoch "
            + "milliseconds or ISO-8601. Keys follow the job's conventions: the user id for interactions, the model kind "
            + "(kind/line for another line) for announcements. Announcements are signed with --signing-key."
      })
  static final class Send implements Callable<Integer> {
    @Mixin ConsoleConnection connection;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, e.g. lmrec.interactions.")
    String topic;

    @Parameters(index = "1..*", paramLabel = "JSON", description = "JSON objects, one per argument.")
    List<String> json = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "JSON lines to send, one object per line ('-': stdin).")
    String file;

    @Option(names = "--type", paramLabel = "TYPE", description = "interactions or model-updates, for a topic without the job's default name.")
    String type;

    @Option(names = "--key", paramLabel = "KEY", description = "Another message key than the one the job's convention gives.")
    String key;

    @Option(names = "--signing-key", paramLabel = "ID.key",
        description = "Model updates: the publisher's Ed25519 private key (lmrec-retrain keygen; docs/model-signing.md).")
    Path signingKey;

    @Option(names = "--unsigned", description = "Model updates: send unsigned (only a job with lmrec.models.require-signature: false accepts it).")
    boolean unsigned;

    @Override
    public Integer call() throws Exception {
      Properties clientSettings = connection.clientSettings();
      TopicKind kind = kindOf(topic, type);
      SendEncoder encoder = new SendEncoder(kind, signer(kind));
      List<String> texts = inputs();
      List<OutgoingRecord> records = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        try {
          records.add(encoder.encode(JsonRecords.parse(texts.get(i)), key));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException((texts.size() > 1 ? "object " + (i + 1) + ": " : "") + e.getMessage() + "; nothing was sent");
        }
      }
      send(clientSettings, records, spec.commandLine().getOut());
      return 0;
    }

    private AnnouncementSigner signer(TopicKind kind) {
      if (kind != TopicKind.MODEL_UPDATES) {
        if (signingKey != null || unsigned) throw new IllegalArgumentException("--signing-key and --unsigned are for model updates only");
        return null;
      }
      if (signingKey != null && unsigned) throw new IllegalArgumentException("give --signing-key or --unsigned, not both");
      if (signingKey == null && !unsigned) {
        throw new IllegalArgumentException("a model announcement is signed: give --signing-key ID.key (the job trusts ID.pub), "
            + "or --unsigned for a job with lmrec.models.require-signature: false");
      }
      if (signingKey == null) return null;
      if (!Files.isRegularFile(signingKey)) throw new IllegalArgumentException("--signing-key " + signingKey + ": no such file");
      return AnnouncementSigner.fromFile(signingKey);
    }

    private List<String> inputs() throws IOException {
      List<String> texts = new ArrayList<>(json);
      if (file != null) {
        BufferedReader in = file.equals("-") ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        try (in) {
          in.lines().filter(l -> !l.isBlank()).forEach(texts::add);
        }
      }
      if (texts.isEmpty()) throw new IllegalArgumentException("nothing to send: give JSON objects as arguments or --file FILE");
      return texts;
    }

    private void send(Properties clientSettings, List<OutgoingRecord> records, PrintWriter out) throws Exception {
      ExistingTopic.require(clientSettings, topic);
      Properties p = new Properties();
      p.putAll(clientSettings);
      p.put("key.serializer", ByteArraySerializer.class.getName());
      p.put("value.serializer", ByteArraySerializer.class.getName());
      p.put("acks", "all");
      p.put("delivery.timeout.ms", "30000");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        for (OutgoingRecord r : records) {
          RecordMetadata m = producer.send(new ProducerRecord<>(topic, r.key(), r.value())).get();
          out.println("sent " + r.description() + " to " + m.topic() + " partition " + m.partition() + " offset " + m.offset()
              + " (key " + RecordJson.line(RecordJson.key(r.key())) + ")");
          out.flush();
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("Kafka at " + bootstrapOf(p) + " did not take the record: " + e.getCause().getMessage());
      }
    }

    private static String bootstrapOf(Properties p) {
      return p.getProperty("bootstrap.servers");
    }
  }
}
