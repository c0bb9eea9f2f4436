package org.lmrec.retrain.job;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.retrain.ModelAnnouncer;
import org.lmrec.stream.kafka.KafkaClientProperties;
import org.lmrec.stream.scoring.ModelUpdates;

/**
 * Announces a published version on the model-update topic, the way the streaming job expects it.
 * Idempotent, acks=all: the send returns only once the broker has the record durably.
 */
public final class KafkaModelAnnouncer implements ModelAnnouncer, AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  public KafkaModelAnnouncer(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, KafkaClientProperties.none());
  }

  /** With extra client settings (TLS, SASL, ...); settings the announcer owns are refused when {@code client} is built. */
  public KafkaModelAnnouncer(String bootstrapServers, String topic, KafkaClientProperties client) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("delivery.timeout.ms", "60000");
    p.put("client.id", "lmrec-retrain-announcer");
    client.addTo(p);
    this.producer = new KafkaProducer<>(p);
    this.topic = topic;
  }

  @Override
  public void announce(ModelArtifact artifact) throws Exception {
    ModelUpdates.send(producer, topic, artifact);
  }

  @Override
  public void close() {
    producer.close();
  }
}
