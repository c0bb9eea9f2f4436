package org.lmrec.stream.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lmrec.flink.announce.AnnouncementVerifier;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.AvroCodecException;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ReleasedSchemas;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.stream.ingest.InteractionRecordDeserializer;
import org.lmrec.stream.scoring.ModelAnnouncement;
import org.lmrec.stream.scoring.ModelUpdateDeserializer;

/**
 * One Kafka record as one JSON line, never an exception: the record's place and key, then either
 * its decoded value (with the job's verdict on the two input topics, and titles where known) or
 * {@code "undecodable"} with the reason. Values are decoded with the project's {@link AvroCodec};
 * interactions and model announcements also go through the job's own source deserializers, so
 * {@code "jobRefuses"} is the reason the job's dead letter would carry.
 */
final class RecordDecoder {
  private static final int HEADER_BYTES = 10;

  private final TopicKind kind;
  private final ItemTitles titles;
  private final InteractionRecordDeserializer interactions = new InteractionRecordDeserializer(
      StreamingOptions.MAX_PAYLOAD_BYTES.defaultValue(), StreamingOptions.MAX_ID_LENGTH.defaultValue(), StreamingOptions.MAX_FUTURE_SKEW.defaultValue());
  private final ModelUpdateDeserializer announcements;

  /**
   * @param titles item titles for recommendations and interactions, or null
   * @param verifier the trusted keys the model-update verdict uses; null: signatures optional, as a job with require-signature false
   */
  RecordDecoder(TopicKind kind, ItemTitles titles, AnnouncementVerifier verifier) {
    this.kind = kind;
    this.titles = titles;
    this.announcements = new ModelUpdateDeserializer(verifier == null ? AnnouncementVerifier.notRequired() : verifier);
  }

  /** E.g. {@code interactions (lmrec.topic.interactions)}, or how a topic of unknown kind is read. */
  String kindLabel() {
    return kind == TopicKind.ANY ? "whatever lmrec record each schema fingerprint names" : kind.label() + " (" + kind.settingKey() + ")";
  }

  ObjectNode decode(ConsumerRecord<byte[], byte[]> r) {
    ObjectNode line = RecordJson.NODES.objectNode();
    line.put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset());
    line.put("timestamp", r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()).toString());
    line.set("key", RecordJson.key(r.key()));
    try {
      fill(line, r);
    } catch (RuntimeException e) { // a console that stops on one hostile record is no better than kcat
      line.remove(java.util.List.of("type", "value", "jobRefuses"));
      line.put("undecodable", "unexpected failure: " + e);
    }
    return line;
  }

  private void fill(ObjectNode line, ConsumerRecord<byte[], byte[]> r) {
    byte[] value = r.value();
    if (value == null) {
      line.put("type", "tombstone").putNull("value");
      return;
    }
    if (kind == TopicKind.EXPERIMENTS) {
      experimentDefinition(line, value);
      return;
    }
    Class<? extends SpecificRecord> type = kind.recordType().orElse(null);
    if (type == null) {
      Optional<Class<? extends SpecificRecord>> found = typeByFingerprint(value, line);
      if (found.isEmpty()) return;
      type = found.get();
    }
    SpecificRecord record;
    try {
      record = AvroCodec.of(type).decode(value);
    } catch (AvroCodecException e) {
      line.put("undecodable", verdict(r).orElse(e.getMessage()));
      return;
    }
    line.put("type", ReleasedSchemas.get().byFingerprint(fingerprint(value)).map(ReleasedSchemas.Version::label).orElse(type.getSimpleName()));
    ObjectNode json = RecordJson.of(record);
    if (record instanceof DeadLetter d) json.set("rawKey", d.getRawKey() == null ? null : RecordJson.key(RecordJson.bytes(d.getRawKey())));
    addTitles(json);
    line.set("value", json);
    verdict(r).ifPresent(reason -> line.put("jobRefuses", reason));
  }

  /** The dead letter's reason the job would write for this record, on the job's two Avro input topics. */
  private Optional<String> verdict(ConsumerRecord<byte[], byte[]> r) {
    long now = System.currentTimeMillis();
    if (kind == TopicKind.INTERACTIONS) {
      Ingested in = interactions.ingest(r.value(), r.key(), r.topic(), r.partition(), r.offset(), now);
      return Optional.ofNullable(in.deadLetter).map(DeadLetter::getReason);
    }
    if (kind == TopicKind.MODEL_UPDATES) {
      ModelAnnouncement a = announcements.announce(r.value(), r.key(), r.topic(), r.partition(), r.offset(), now);
      return Optional.ofNullable(a.deadLetter).map(DeadLetter::getReason);
    }
    return Optional.empty();
  }

  /** On a topic of unknown kind: the lmrec record the schema fingerprint names, or a note why none. */
  private static Optional<Class<? extends SpecificRecord>> typeByFingerprint(byte[] value, ObjectNode line) {
    if (value.length < HEADER_BYTES || (value[0] & 0xff) != 0xc3 || value[1] != 0x01) {
      line.put("undecodable", "not an lmrec record: no single-object header (marker c3 01 and an 8-byte schema fingerprint) in "
          + value.length + " bytes starting " + RecordJson.hex(java.util.Arrays.copyOf(value, Math.min(value.length, 8))));
      return Optional.empty();
    }
    long fingerprint = fingerprint(value);
    Optional<ReleasedSchemas.Version> version = ReleasedSchemas.get().byFingerprint(fingerprint);
    if (version.isEmpty()) {
      line.put("undecodable", "unknown schema fingerprint " + ReleasedSchemas.hex(fingerprint) + ": no released lmrec schema has it");
      return Optional.empty();
    }
    try {
      return Optional.of(Class.forName("org.lmrec.schema." + version.get().type()).asSubclass(SpecificRecord.class));
    } catch (ClassNotFoundException e) {
      line.put("undecodable", "schema fingerprint " + ReleasedSchemas.hex(fingerprint) + " is " + version.get().label() + ", which this console cannot decode");
      return Optional.empty();
    }
  }

  /** Bytes 2-9, little-endian; 0 for a value too short to carry them. */
  private static long fingerprint(byte[] value) {
    if (value.length < HEADER_BYTES) return 0;
    return ByteBuffer.wrap(value, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static void experimentDefinition(ObjectNode line, byte[] value) {
    try {
      JsonNode json = JsonRecords.parse(new String(value, StandardCharsets.UTF_8));
      line.put("type", "experiment definition (JSON)").set("value", json);
    } catch (IllegalArgumentException e) {
      line.put("undecodable", "experiment definition is " + e.getMessage());
    }
  }

  private void addTitles(ObjectNode value) {
    if (titles == null) return;
    JsonNode items = value.get("items");
    if (items != null && items.isArray()) {
      items.forEach(i -> {
        if (i.isObject() && i.hasNonNull("itemId")) titles.title(i.get("itemId").asText()).ifPresent(t -> ((ObjectNode) i).put("title", t));
      });
    }
    if (value.hasNonNull("itemId")) titles.title(value.get("itemId").asText()).ifPresent(t -> value.put("itemTitle", t));
  }
}
