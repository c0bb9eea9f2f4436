package org.lmrec.stream.ingest;

import java.time.Duration;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.AvroCodecException;
import org.lmrec.schema.InteractionEvent;

/**
 * Decodes and validates interaction records inside the Kafka source, so watermarks are tracked per
 * partition from real event times. Never throws on input: whatever cannot be accepted becomes a
 * dead letter with the original bytes and the reason.
 */
public final class InteractionRecordDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
  private static final long serialVersionUID = 1L;

  private final int maxPayloadBytes;
  private final InteractionValidator validator;
  private transient AvroCodec<InteractionEvent> codec;

  public InteractionRecordDeserializer(int maxPayloadBytes, int maxIdLength, Duration maxFutureSkew) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.validator = new InteractionValidator(maxIdLength, maxFutureSkew);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroCodec.of(InteractionEvent.class).withMaxPayloadBytes(maxPayloadBytes);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
    out.collect(ingest(record.value(), record.key(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis()));
  }

  /** The whole decision for one record; public so tests and the replay job use the same code. */
  public Ingested ingest(byte[] value, byte[] key, String topic, int partition, long offset, long now) {
    try {
      return decide(value, key, topic, partition, offset, now);
    } catch (RuntimeException e) { // an exception in the source would stop the job on this record for good
      return Ingested.rejected(RecordFailures.deadLetter("decode and validate", value, key, topic, partition, offset, e, now));
    }
  }

  private Ingested decide(byte[] value, byte[] key, String topic, int partition, long offset, long now) {
    if (codec == null) open(null);
    InteractionEvent event;
    try {
      event = codec.decode(value);
    } catch (AvroCodecException e) {
      return Ingested.rejected(DeadLetters.of(value, key, topic, partition, offset, e.getMessage(), e, maxPayloadBytes, now));
    }
    String problem = validator.problem(event, now);
    if (problem != null) {
      return Ingested.rejected(DeadLetters.of(value, key, topic, partition, offset, "invalid InteractionEvent: " + problem, null, maxPayloadBytes, now));
    }
    return Ingested.valid(Interaction.of(event, now, topic, partition, offset));
  }

  @Override
  public TypeInformation<Ingested> getProducedType() {
    return TypeInformation.of(Ingested.class);
  }
}
