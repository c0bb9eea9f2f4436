package org.lmrec.stream.scoring;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;

/**
 * Announcements of model artifacts on the model-update topic: a pointer (version, URI, manifest
 * hash), keyed by the model kind (and the line, for a line other than the default) so the
 * compacted topic keeps the newest pointer per model line. The local demo and the retraining job
 * announce through here.
 */
public final class ModelUpdates {
  private ModelUpdates() {}

  public static ModelUpdate of(ModelArtifact a) {
    return of(a, null);
  }

  /** The announcement of {@code a} as the newest version of {@code line} (null: the default line). */
  public static ModelUpdate of(ModelArtifact a, String line) {
    return ModelUpdate.newBuilder()
        .setModelVersion(a.version())
        .setArtifactUri(a.dir().toAbsolutePath().toUri().toString())
        .setManifestSha256(a.manifestSha256())
        .setKind(ModelKind.valueOf(a.modelKind().toUpperCase(Locale.ROOT)))
        .setCreatedAt(a.manifest().createdAtInstant())
        .setModelLine(line)
        .build();
  }

  /** Sends the announcement and waits until the broker has it. */
  public static void send(Producer<byte[], byte[]> producer, String topic, ModelArtifact a) throws Exception {
    send(producer, topic, a, null);
  }

  /** Sends {@code a} as the newest version of {@code line} (null: the default line) and waits until the broker has it. */
  public static void send(Producer<byte[], byte[]> producer, String topic, ModelArtifact a, String line) throws Exception {
    String key = line == null ? a.modelKind() : a.modelKind() + "/" + line;
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), AvroCodec.of(ModelUpdate.class).encode(of(a, line)))).get();
  }
}
