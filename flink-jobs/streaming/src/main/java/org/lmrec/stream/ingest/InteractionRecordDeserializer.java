package org.lmrec.stream.ingest;

import java.time.Duration;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.AvroCodecException;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.flink.deadletter.DeadLetters;
import org.lmrec.flink.deadletter.RecordFailures;

/**
 * Decodes and validates interaction records inside the Kafka source, so watermarks are tracked per
 * partition from real event times. Records are in Avro's single-object encoding (any released
 * InteractionEvent version); headerless Avro binary only when {@code acceptPlainBinary} is set for
 * a migration. Never throws on input: whatever cannot be accepted becomes a dead letter with the
 * original bytes and the reason.
 */
public final class InteractionRecordDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
  private static final long serialVersionUID = 1L;

  private final int maxPayloadBytes;
  private final InteractionValidator validator;
  private final boolean acceptPlainBinary;
  private transient AvroCodec<InteractionEvent> codec;

  /** Single-object encoding only. */
  public InteractionRecordDeserializer(int maxPayloadBytes, int maxIdLength, Duration maxFutureSkew) {
    this(maxPayloadBytes, maxIdLength, maxFutureSkew, false);
  }

  /** @param acceptPlainBinary {@code lmrec.wire.accept-plain-binary}: also headerless Avro binary */
  public InteractionRecordDeserializer(int maxPayloadBytes, int maxIdLength, Duration maxFutureSkew, boolean acceptPlainBinary) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.validator = new InteractionValidator(maxIdLength, maxFutureSkew);
    this.acceptPlainBinary = acceptPlainBinary;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroCodec.of(InteractionEvent.class).withMaxPayloadBytes(maxPayloadBytes).withPlainBinaryAccepted(acceptPlainBinary);
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
      String reason = e.problem() == AvroCodecException.Problem.NO_HEADER && value.length > 0
          ? e.getMessage() + "; lmrec.wire.accept-plain-binary=true accepts headerless producers while they are migrated"
          : e.getMessage();
      return Ingested.rejected(DeadLetters.of(value, key, topic, partition, offset, reason, e, maxPayloadBytes, now));
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
