package org.lmrec.stream.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.InProcessKafka;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.TestModels;
import org.lmrec.flink.kafka.KafkaClientProperties;

/**
 * One run of the streaming job against a secured broker: a few interactions and one undecodable
 * record in, the recommendations and the dead letter read back (by the broker's own secured helpers).
 */
final class SecuredJobRun {
  static final String IN = "interactions";
  static final String OUT = "recommendations";
  static final String DLQ = "dead-letters";
  static final String MODELS = "model-updates";

  record Result(List<String> sent, List<Recommendation> recommendations, List<DeadLetter> deadLetters) {}

  private SecuredJobRun() {}

  static void createTopics(InProcessKafka kafka) throws Exception {
    kafka.createTopic(IN, 2, false);
    kafka.createTopic(OUT, 2, false);
    kafka.createTopic(DLQ, 1, false);
    kafka.createTopic(MODELS, 1, true);
  }

  /** The job's settings, with {@code client} passed the documented way: under lmrec.kafka.properties. */
  static Configuration options(InProcessKafka kafka, Path dir, ModelArtifact model, Map<String, String> client) {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    o.set(StreamingOptions.INTERACTIONS_TOPIC, IN);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, OUT);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, DLQ);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, MODELS);
    o.set(StreamingOptions.CONSUMER_GROUP, "lmrec-secured-test");
    o.set(StreamingOptions.INITIAL_MODEL, model.dir().toString());
    o.set(StreamingOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
    o.set(StreamingOptions.TOP_K, 5);
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
    o.set(StreamingOptions.REQUIRE_SIGNATURE, false); // no announcement here: the initial model serves throughout
    client.forEach((key, value) -> o.setString(KafkaClientProperties.CONFIG_PREFIX + key, value));
    return o;
  }

  static Result run(InProcessKafka kafka, Configuration options, int events) throws Exception {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
    JobClient job = env.executeAsync("lmrec streaming against a secured broker");
    List<String> sent = new ArrayList<>();
    List<Recommendation> recommendations = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    try {
      for (int i = 0; i < events; i++) {
        String user = "user-" + (i % 3);
        InteractionEvent e = InteractionEvent.newBuilder()
            .setEventId("secured-" + i).setUserId(user).setItemId(TestModels.itemId(1 + i)).setEventType(EventType.CLICK)
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)).build();
        kafka.send(IN, user.getBytes(StandardCharsets.UTF_8), codec.encode(e));
        sent.add(e.getEventId());
      }
      kafka.send(IN, null, new byte[] {(byte) 0xde, (byte) 0xad});
      AvroCodec<Recommendation> recs = AvroCodec.of(Recommendation.class);
      kafka.readUntil(OUT, Duration.ofSeconds(120), all -> all.size() >= events).forEach(r -> recommendations.add(recs.decode(r.value())));
      AvroCodec<DeadLetter> dead = AvroCodec.of(DeadLetter.class);
      kafka.readUntil(DLQ, Duration.ofSeconds(60), all -> !all.isEmpty()).forEach(r -> deadLetters.add(dead.decode(r.value())));
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
    return new Result(sent, recommendations, deadLetters);
  }
}
