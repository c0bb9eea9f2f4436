package org.lmrec.stream.scoring;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.AvroCodecException;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.stream.ingest.DeadLetters;
import org.lmrec.stream.ingest.RecordFailures;

/** Decodes model announcements; a record that is not one becomes a dead letter, never a failure. */
public final class ModelUpdateDeserializer implements KafkaRecordDeserializationSchema<ModelAnnouncement> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_BYTES = 64 * 1024;

  private transient AvroCodec<ModelUpdate> codec;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroCodec.of(ModelUpdate.class).withMaxPayloadBytes(MAX_BYTES);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelAnnouncement> out) {
    if (record.value() == null) return; // a tombstone on the compacted topic retires a key: nothing to load
    out.collect(announce(record.value(), record.key(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis()));
  }

  public ModelAnnouncement announce(byte[] value, byte[] key, String topic, int partition, long offset, long now) {
    if (codec == null) open(null);
    ModelAnnouncement a = new ModelAnnouncement();
    try {
      ModelUpdate update = codec.decode(value);
      if (update.getKind() == ModelKind.UNKNOWN) {
        a.deadLetter = DeadLetters.of(value, key, topic, partition, offset, "ModelUpdate of an unknown model kind", null, MAX_BYTES, now);
      } else if (ModelUpdateChecks.problem(update) != null) {
        a.deadLetter = DeadLetters.of(value, key, topic, partition, offset, "ModelUpdate refused: " + ModelUpdateChecks.problem(update), null, MAX_BYTES, now);
      } else {
        a.pointer = ModelPointer.of(update);
      }
    } catch (AvroCodecException e) {
      a.deadLetter = DeadLetters.of(value, key, topic, partition, offset, e.getMessage(), e, MAX_BYTES, now);
    } catch (RuntimeException e) { // an exception in the source would stop the job on this record for good
      a.pointer = null;
      a.deadLetter = RecordFailures.deadLetter("model updates", value, key, topic, partition, offset, e, now);
    }
    return a;
  }

  @Override
  public TypeInformation<ModelAnnouncement> getProducedType() {
    return TypeInformation.of(ModelAnnouncement.class);
  }
}
