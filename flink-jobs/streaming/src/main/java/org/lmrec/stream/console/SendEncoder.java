package org.lmrec.stream.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.lmrec.flink.announce.AnnouncementSigner;
import org.lmrec.flink.announce.AnnouncementVerifier;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.stream.ingest.InteractionRecordDeserializer;
import org.lmrec.stream.scoring.ModelAnnouncement;
import org.lmrec.stream.scoring.ModelUpdateDeserializer;

/**
 * Hand-written JSON to the bytes and key the job expects on its two Avro input topics. The JSON is
 * checked against the schema ({@link JsonRecords}), encoded with the project's {@link AvroCodec},
 * and the bytes are then put through the job's own source deserializer: what it would dead-letter
 * is refused here with the same reason, so a record this sends is one the job accepts.
 */
final class SendEncoder {
  private final TopicKind kind;
  private final AnnouncementSigner signer;
  private final InteractionRecordDeserializer interactions = new InteractionRecordDeserializer(
      StreamingOptions.MAX_PAYLOAD_BYTES.defaultValue(), StreamingOptions.MAX_ID_LENGTH.defaultValue(), StreamingOptions.MAX_FUTURE_SKEW.defaultValue());
  // Trust is the job's business (its trusted keys); here only the shape checks and the signature's own consistency.
  private final ModelUpdateDeserializer announcements = new ModelUpdateDeserializer(AnnouncementVerifier.notRequired());

  /**
   * @param signer the publisher's key for model announcements, or null to send them unsigned (only
   *     a job with {@code lmrec.models.require-signature: false} accepts those)
   */
  SendEncoder(TopicKind kind, AnnouncementSigner signer) {
    if (kind == TopicKind.ANY) {
      throw new IllegalArgumentException("the topic's name is not one of the job's default input topics (" + TopicKind.INTERACTIONS.settingKey()
          + ", " + TopicKind.MODEL_UPDATES.settingKey() + "): give --type interactions or --type model-updates");
    }
    if (kind != TopicKind.INTERACTIONS && kind != TopicKind.MODEL_UPDATES) {
      throw new IllegalArgumentException("send writes the job's inputs only: interaction events (" + TopicKind.INTERACTIONS.settingKey()
          + ") and model announcements (" + TopicKind.MODEL_UPDATES.settingKey() + "), not " + kind.label()
          + "; the job writes that topic");
    }
    this.kind = kind;
    this.signer = signer;
  }

  OutgoingRecord encode(JsonNode json, String key) {
    return kind == TopicKind.INTERACTIONS ? interaction(json, key) : announcement(json, key);
  }

  private OutgoingRecord interaction(JsonNode json, String key) {
    InteractionEvent event = JsonRecords.read(json, InteractionEvent.class);
    byte[] value = AvroCodec.of(InteractionEvent.class).encode(event);
    // The interactions topic is keyed by user id, so one user's events stay in order (docs/wire-format.md).
    byte[] keyBytes = (key != null ? key : event.getUserId()).getBytes(StandardCharsets.UTF_8);
    Ingested verdict = interactions.ingest(value, keyBytes, "(console)", -1, -1, System.currentTimeMillis());
    refuseIf(verdict.deadLetter);
    return new OutgoingRecord(keyBytes, value, "InteractionEvent " + event.getEventId() + " of user " + event.getUserId());
  }

  private OutgoingRecord announcement(JsonNode json, String key) {
    if (json.isObject() && (json.has("keyId") || json.has("signature"))) {
      throw new IllegalArgumentException("leave out keyId and signature: the console signs the announcement itself with --signing-key "
          + "(docs/model-signing.md)");
    }
    ModelUpdate update = JsonRecords.read(json, ModelUpdate.class);
    if (signer != null) update = signer.sign(update);
    byte[] value = AvroCodec.of(ModelUpdate.class).encode(update);
    // Keyed per model line, as ModelUpdates.send does, so the compacted topic keeps the newest per line.
    String kindKey = update.getKind().name().toLowerCase(Locale.ROOT);
    String lineKey = key != null ? key : update.getModelLine() == null ? kindKey : kindKey + "/" + update.getModelLine();
    byte[] keyBytes = lineKey.getBytes(StandardCharsets.UTF_8);
    ModelAnnouncement verdict = announcements.announce(value, keyBytes, "(console)", -1, -1, System.currentTimeMillis());
    refuseIf(verdict.deadLetter);
    return new OutgoingRecord(keyBytes, value, "ModelUpdate " + update.getModelVersion()
        + (signer == null ? " (unsigned)" : " signed with key " + signer.keyId()));
  }

  private static void refuseIf(DeadLetter deadLetter) {
    if (deadLetter != null) throw new IllegalArgumentException("the job would refuse it as a dead letter: " + deadLetter.getReason());
  }
}
