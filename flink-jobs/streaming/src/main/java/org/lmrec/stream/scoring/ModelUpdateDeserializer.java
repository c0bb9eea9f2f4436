package org.lmrec.stream.scoring;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.AvroCodecException;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.flink.deadletter.DeadLetters;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.flink.announce.AnnouncementVerifier;

/**
 * Decodes model announcements and checks their signatures; a record that is not one, or one the
 * {@link AnnouncementVerifier} refuses ({@code "ModelUpdate refused: ..."}, counted in
 * {@code lmrecModelRefusals}), becomes a dead letter, never a failure.
 */
public final class ModelUpdateDeserializer implements KafkaRecordDeserializationSchema<ModelAnnouncement> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_BYTES = 64 * 1024;

  private final AnnouncementVerifier verifier;
  private transient AvroCodec<ModelUpdate> codec;
  private transient Counter refusals;

  public ModelUpdateDeserializer(AnnouncementVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroCodec.of(ModelUpdate.class).withMaxPayloadBytes(MAX_BYTES);
    refusals = context == null ? new SimpleCounter() : context.getMetricGroup().counter("lmrecModelRefusals");
  }

  /** Announcements refused by this source (malformed fields, unsigned, unknown key, bad signature). */
  long refusals() {
    return refusals == null ? 0 : refusals.getCount();
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
        refusals.inc();
        a.deadLetter = DeadLetters.of(value, key, topic, partition, offset, "ModelUpdate refused: " + ModelUpdateChecks.problem(update), null, MAX_BYTES, now);
      } else {
        String refused = verifier.refusal(update).orElse(null);
        if (refused == null) {
          a.pointer = ModelPointer.of(update);
        } else {
          refusals.inc();
          a.deadLetter = DeadLetters.of(value, key, topic, partition, offset, refused, null, MAX_BYTES, now);
        }
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
