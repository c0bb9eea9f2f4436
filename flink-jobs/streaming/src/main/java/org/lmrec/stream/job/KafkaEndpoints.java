package org.lmrec.stream.job;

import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.DeliveryMode;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.flink.archive.InteractionArchive;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.stream.ingest.InteractionRecordDeserializer;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.stream.scoring.ModelAnnouncement;
import org.lmrec.stream.experiment.ExperimentUpdate;
import org.lmrec.stream.experiment.ExperimentUpdateDeserializer;
import org.lmrec.stream.scoring.ModelUpdateDeserializer;
import org.lmrec.flink.kafka.AvroRecordSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production endpoints of {@link StreamingJob}: Kafka topics and the file archive. */
public final class KafkaEndpoints {
  private KafkaEndpoints() {}

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEndpoints.class);

  public static StreamingJob.Endpoints from(Configuration o) {
    String servers = o.get(StreamingOptions.BOOTSTRAP_SERVERS);
    // TLS, SASL and other client settings for every source and sink; refused here, before the job
    // is submitted, if they name a setting the job owns.
    KafkaClientProperties client = KafkaClientProperties.fromConfiguration(o);
    if (!client.isEmpty()) LOG.info("Kafka clients of the job get {}", client);
    KafkaSource<Ingested> interactions =
        KafkaSource.<Ingested>builder()
            .setBootstrapServers(servers)
            .setTopics(o.get(StreamingOptions.INTERACTIONS_TOPIC))
            .setGroupId(o.get(StreamingOptions.CONSUMER_GROUP))
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setDeserializer(new InteractionRecordDeserializer(
                o.get(StreamingOptions.MAX_PAYLOAD_BYTES), o.get(StreamingOptions.MAX_ID_LENGTH), o.get(StreamingOptions.MAX_FUTURE_SKEW),
                o.get(StreamingOptions.ACCEPT_PLAIN_BINARY)))
            .setProperties(client.addTo(new Properties()))
            .setProperty("partition.discovery.interval.ms", "10000")
            .build();
    // The whole compacted topic on every start: the newest announcement is the model to serve.
    KafkaSource<ModelAnnouncement> modelUpdates =
        KafkaSource.<ModelAnnouncement>builder()
            .setBootstrapServers(servers)
            .setTopics(o.get(StreamingOptions.MODEL_UPDATES_TOPIC))
            .setGroupId(o.get(StreamingOptions.CONSUMER_GROUP) + "-models")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new ModelUpdateDeserializer(StreamingJob.announcementVerifier(o)))
            .setProperties(client.addTo(new Properties()))
            .build();

    // Every sink follows the delivery mode, each with its own transactional-id prefix: under
    // EXACTLY_ONCE a read_committed consumer sees a dead letter, exposure or result only once its
    // checkpoint completed, like a recommendation, so a replay after a failure duplicates none.
    DeliveryMode delivery = o.get(StreamingOptions.DELIVERY);
    String prefix = StreamingOptions.transactionalIdPrefix(o);
    KafkaSink<Recommendation> recommendations =
        sink(servers, AvroRecordSerializer.recommendations(o.get(StreamingOptions.RECOMMENDATIONS_TOPIC)), delivery, client, prefix + "-recommendations");
    KafkaSink<DeadLetter> deadLetters =
        sink(servers, AvroRecordSerializer.deadLetters(o.get(StreamingOptions.DEAD_LETTERS_TOPIC)), delivery, client, prefix + "-dead-letters");
    // Like the model updates: the whole compacted topic on a first start; a restore resumes from the checkpoint.
    KafkaSource<ExperimentUpdate> experiments = o.getOptional(StreamingOptions.EXPERIMENTS_TOPIC)
        .map(topic -> KafkaSource.<ExperimentUpdate>builder()
            .setBootstrapServers(servers)
            .setTopics(topic)
            .setGroupId(o.get(StreamingOptions.CONSUMER_GROUP) + "-experiments")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new ExperimentUpdateDeserializer())
            .setProperties(client.addTo(new Properties()))
            .build())
        .orElse(null);
    KafkaSink<Recommendation> exposures = o.getOptional(StreamingOptions.EXPOSURES_TOPIC)
        .map(topic -> sink(servers, AvroRecordSerializer.recommendations(topic), delivery, client, prefix + "-exposures"))
        .orElse(null);
    KafkaSink<ExperimentResult> results = o.getOptional(StreamingOptions.EXPERIMENT_RESULTS_TOPIC)
        .map(topic -> sink(servers, AvroRecordSerializer.experimentResults(topic), delivery, client, prefix + "-experiment-results"))
        .orElse(null);
    KafkaSink<org.lmrec.schema.UserSummaryUpdate> summaries = o.get(StreamingOptions.SUMMARIES_ENABLED)
        ? sink(servers, new AvroRecordSerializer<>(org.lmrec.schema.UserSummaryUpdate.class, o.get(StreamingOptions.SUMMARIES_TOPIC),
            org.lmrec.schema.UserSummaryUpdate::getUserId), delivery, client, prefix + "-summaries")
        : null;
    return new StreamingJob.Endpoints(
        interactions, modelUpdates, recommendations, deadLetters,
        o.getOptional(StreamingOptions.ARCHIVE_PATH).map(InteractionArchive::sink).orElse(null), experiments, exposures, results, summaries);
  }

  /**
   * A sink in the configured delivery mode. AT_LEAST_ONCE: records appear at once, and duplicates
   * after a failure carry the same key. EXACTLY_ONCE: Kafka transactions committed with the checkpoint.
   */
  private static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> sink(
      String servers, AvroRecordSerializer<T> serializer, DeliveryMode delivery, KafkaClientProperties client,
      String transactionalIdPrefix) {
    var builder = KafkaSink.<T>builder()
        .setBootstrapServers(servers)
        .setRecordSerializer(serializer)
        .setKafkaProducerConfig(client.addTo(producerProperties(delivery)));
    if (delivery == DeliveryMode.EXACTLY_ONCE) {
      builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionalIdPrefix(transactionalIdPrefix);
    } else {
      builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    }
    return builder.build();
  }

  private static Properties producerProperties(DeliveryMode delivery) {
    Properties p = new Properties();
    p.setProperty("linger.ms", "2");
    p.setProperty("compression.type", "lz4");
    if (delivery == DeliveryMode.EXACTLY_ONCE) {
      // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
      p.setProperty("transaction.timeout.ms", "600000");
    }
    return p;
  }
}
