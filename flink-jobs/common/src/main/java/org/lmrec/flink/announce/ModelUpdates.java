package org.lmrec.flink.announce;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.flink.announce.AnnouncementSigner;

/**
 * Announcements of model artifacts on the model-update topic: a pointer (version, URI, manifest
 * hash), keyed by the model kind (and the line, for a line other than the default) so the
 * compacted topic keeps the newest pointer per model line, and signed by the publisher's key
 * (docs/model-signing.md). The local demo and the retraining job announce through here.
 */
public final class ModelUpdates {
  private ModelUpdates() {}

  public static ModelUpdate of(ModelArtifact a) {
    return of(a, null);
  }

  /** The announcement of {@code a} as the newest version of {@code line} (null: the default line). */
  public static ModelUpdate of(ModelArtifact a, String line) {
    return of(a, line, a.dir().toAbsolutePath().toUri().toString());
  }

  /** As {@link #of(ModelArtifact, String)}, pointing at {@code uri}: where the artifact was published (s3://...), not its local copy. */
  public static ModelUpdate of(ModelArtifact a, String line, String uri) {
    return ModelUpdate.newBuilder()
        .setModelVersion(a.version())
        .setArtifactUri(uri)
        .setManifestSha256(a.manifestSha256())
        .setKind(ModelKind.valueOf(a.modelKind().toUpperCase(Locale.ROOT)))
        .setCreatedAt(a.manifest().createdAtInstant())
        .setModelLine(line)
        .build();
  }

  /** A rollback of {@code line} to the published {@code a}: created now, so it supersedes the version it replaces. */
  public static ModelUpdate rollback(ModelArtifact a, String line, Instant now) {
    return ModelUpdate.newBuilder(of(a, line)).setRollback(true).setCreatedAt(now).build();
  }

  /** Signs and sends the announcement of {@code a} on the default line, pointing at {@code uri}, and waits until the broker has it. */
  public static void sendAt(Producer<byte[], byte[]> producer, String topic, ModelArtifact a, String uri, AnnouncementSigner signer) throws Exception {
    ModelUpdate u = of(a, null, uri);
    send(producer, topic, signer == null ? u : signer.sign(u));
  }

  /** Signs the announcement of {@code a} with {@code signer}, sends it and waits until the broker has it. */
  public static void send(Producer<byte[], byte[]> producer, String topic, ModelArtifact a, AnnouncementSigner signer) throws Exception {
    send(producer, topic, a, null, signer);
  }

  /** Signs and sends {@code a} as the newest version of {@code line} (null: the default line), and waits until the broker has it. */
  public static void send(Producer<byte[], byte[]> producer, String topic, ModelArtifact a, String line, AnnouncementSigner signer) throws Exception {
    send(producer, topic, signer == null ? of(a, line) : signer.sign(of(a, line)));
  }

  /**
   * Sends an announcement as it is (signed or not) under the key of its line, so the compacted topic
   * keeps the newest per line, and waits until the broker has it.
   */
  public static void send(Producer<byte[], byte[]> producer, String topic, ModelUpdate update) throws Exception {
    String kind = update.getKind().name().toLowerCase(Locale.ROOT);
    String key = update.getModelLine() == null ? kind : kind + "/" + update.getModelLine();
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), AvroCodec.of(ModelUpdate.class).encode(update))).get();
  }
}
