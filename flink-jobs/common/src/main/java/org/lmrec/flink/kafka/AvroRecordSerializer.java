package org.lmrec.flink.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.avro.specific.SpecificRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.Recommendation;

/**
 * Writes a record in Avro's single-object encoding (docs/wire-format.md) to one topic with a string
 * key. Recommendations are keyed by their triggering event id: that is the idempotency key a
 * consumer deduplicates on under at-least-once delivery.
 */
public final class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  /** Extracts the Kafka key of a record. */
  public interface KeyOf<T> extends java.io.Serializable {
    String key(T record);
  }

  private final Class<T> type;
  private final String topic;
  private final KeyOf<T> keyOf;
  private transient AvroCodec<T> codec;

  public AvroRecordSerializer(Class<T> type, String topic, KeyOf<T> keyOf) {
    this.type = type;
    this.topic = topic;
    this.keyOf = keyOf;
  }

  public static AvroRecordSerializer<Recommendation> recommendations(String topic) {
    return new AvroRecordSerializer<>(Recommendation.class, topic, Recommendation::getTriggeringEventId);
  }

  public static AvroRecordSerializer<DeadLetter> deadLetters(String topic) {
    return new AvroRecordSerializer<>(DeadLetter.class, topic, d -> d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset());
  }

  /** Keyed by experiment id: a compacted results topic keeps each experiment's latest look. */
  public static AvroRecordSerializer<ExperimentResult> experimentResults(String topic) {
    return new AvroRecordSerializer<>(ExperimentResult.class, topic, ExperimentResult::getExperimentId);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
    if (codec == null) codec = AvroCodec.of(type);
    byte[] key = keyOf.key(record).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, timestamp, key, codec.encode(record));
  }
}
