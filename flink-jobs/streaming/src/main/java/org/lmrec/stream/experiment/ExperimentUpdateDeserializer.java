package org.lmrec.stream.experiment;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted experiments topic: key = experiment id (UTF-8), value = its JSON definition,
 * a null value = a tombstone. Nothing is parsed here: the sequence operator checks each definition
 * against the experiments it knows and dead-letters what it refuses, with the reason.
 */
public final class ExperimentUpdateDeserializer implements KafkaRecordDeserializationSchema<ExperimentUpdate> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ExperimentUpdate> out) {
    ExperimentUpdate u = new ExperimentUpdate();
    u.id = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    u.json = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    u.sourceTopic = record.topic();
    u.sourcePartition = record.partition();
    u.sourceOffset = record.offset();
    out.collect(u);
  }

  @Override
  public TypeInformation<ExperimentUpdate> getProducedType() {
    return TypeInformation.of(ExperimentUpdate.class);
  }
}
