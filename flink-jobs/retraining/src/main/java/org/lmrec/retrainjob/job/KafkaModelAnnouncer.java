package org.lmrec.retrainjob.job;

import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.retrain.ModelAnnouncer;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.flink.announce.ModelUpdates;
import org.lmrec.flink.announce.AnnouncementSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a published version on the model-update topic, the way the streaming job expects it:
 * signed with the publisher's Ed25519 key (the scorers refuse unsigned announcements by default).
 * Idempotent, acks=all: the send returns only once the broker has the record durably.
 */
public final class KafkaModelAnnouncer implements ModelAnnouncer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaModelAnnouncer.class);
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AnnouncementSigner signer;

  /**
   * @param signer the publisher's key; null announces unsigned, which only scorers with
   *     {@code lmrec.models.require-signature: false} accept
   */
  public KafkaModelAnnouncer(String bootstrapServers, String topic, AnnouncementSigner signer) {
    this(bootstrapServers, topic, signer, KafkaClientProperties.none());
  }

  /** With extra client settings (TLS, SASL, ...); settings the announcer owns are refused when {@code client} is built. */
  public KafkaModelAnnouncer(String bootstrapServers, String topic, AnnouncementSigner signer, KafkaClientProperties client) {
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
    this.signer = signer;
    if (signer == null) LOG.warn("announcing unsigned: scorers that require signatures (the default) will refuse these announcements");
  }

  @Override
  public void announce(ModelArtifact artifact) throws Exception {
    ModelUpdates.send(producer, topic, artifact, signer);
  }

  /** Announces {@code artifact} as published at {@code uri} (its copy on the object store). */
  public void announceAt(ModelArtifact artifact, String uri) throws Exception {
    ModelUpdates.sendAt(producer, topic, artifact, uri, signer);
  }

  /**
   * Returns the default line to the already published {@code artifact}: a signed rollback announced
   * at {@code now}, so it supersedes the version serving now, and any later announcement supersedes it.
   */
  public void announceRollback(ModelArtifact artifact, Instant now) throws Exception {
    announceRollback(artifact, now, artifact.dir().toAbsolutePath().toUri().toString());
  }

  /** As {@link #announceRollback(ModelArtifact, Instant)}, pointing at {@code uri} (the version on the object store). */
  public void announceRollback(ModelArtifact artifact, Instant now, String uri) throws Exception {
    if (signer == null) throw new IllegalArgumentException("a rollback must be signed: give --signing-key");
    org.lmrec.schema.ModelUpdate u = ModelUpdates.rollback(artifact, null, now);
    u.setArtifactUri(uri);
    ModelUpdates.send(producer, topic, signer.sign(u));
  }

  @Override
  public void close() {
    producer.close();
  }
}
