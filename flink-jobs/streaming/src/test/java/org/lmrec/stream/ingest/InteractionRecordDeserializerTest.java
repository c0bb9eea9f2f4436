package org.lmrec.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.ReleasedSchemas;
import org.lmrec.stream.WireBytes;

class InteractionRecordDeserializerTest {
  static final long NOW = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
  final InteractionRecordDeserializer deserializer = new InteractionRecordDeserializer(1024, 32, Duration.ofHours(1));
  final AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

  static InteractionEvent event(String eventId, String user, String item, long time) {
    return InteractionEvent.newBuilder()
        .setEventId(eventId).setUserId(user).setItemId(item).setEventType(EventType.CLICK)
        .setEventTime(Instant.ofEpochMilli(time)).build();
  }

  private Ingested ingest(byte[] bytes) {
    return deserializer.ingest(bytes, "k".getBytes(), "topic", 3, 42, NOW);
  }

  private String reasonFor(InteractionEvent e) {
    Ingested r = ingest(codec.encode(e));
    assertThat(r.interaction).isNull();
    return r.deadLetter.getReason();
  }

  @Test
  void aValidEventPassesWithItsProvenance() {
    Ingested r = ingest(codec.encode(event("e1", "u1", "i1", NOW - 1000)));
    assertThat(r.deadLetter).isNull();
    assertThat(r.interaction.userId).isEqualTo("u1");
    assertThat(r.interaction.eventTime).isEqualTo(NOW - 1000);
    assertThat(r.interaction.receivedAt).isEqualTo(NOW);
    assertThat(r.interaction.sourcePartition).isEqualTo(3);
    assertThat(r.interaction.sourceOffset).isEqualTo(42);
    assertThat(r.eventTimeOrMin()).isEqualTo(NOW - 1000);
  }

  @Test
  void garbageBytesBecomeADeadLetterWithTheOriginalBytes() {
    byte[] garbage = {(byte) 0xff, 0x13, 0x00, 0x7f, 0x42};
    Ingested r = ingest(garbage);
    assertThat(r.interaction).isNull();
    assertThat(r.eventTimeOrMin()).isEqualTo(Long.MIN_VALUE);
    assertThat(r.deadLetter.getReason()).contains("InteractionEvent");
    assertThat(r.deadLetter.getRawValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(r.deadLetter.getRawKey()).isEqualTo(ByteBuffer.wrap("k".getBytes()));
    assertThat(r.deadLetter.getSourceTopic()).isEqualTo("topic");
    assertThat(r.deadLetter.getSourceOffset()).isEqualTo(42);
    assertThat(r.deadLetter.getErrorClass()).isNotNull();
  }

  @Test
  void aTombstoneAndATruncatedRecordAreDeadLetters() {
    assertThat(ingest(null).deadLetter.getReason()).contains("tombstone");
    byte[] whole = codec.encode(event("e1", "u1", "i1", NOW));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
    assertThat(ingest(cut).deadLetter).isNotNull();
  }

  @Test
  void invalidFieldsAreNamedInTheReason() {
    assertThat(reasonFor(event("", "u1", "i1", NOW))).contains("eventId is empty");
    assertThat(reasonFor(event("e", "user 1", "i1", NOW))).contains("userId").contains("whitespace");
    assertThat(reasonFor(event("e", "u1", "i\u0001", NOW))).contains("itemId").contains("control character");
    assertThat(reasonFor(event("e", "u1", "x".repeat(33), NOW))).contains("itemId has 33 characters (limit 32)");
    assertThat(reasonFor(event("e", "u1", "i1", -5))).contains("before the Unix epoch");
    assertThat(reasonFor(event("e", "u1", "i1", NOW + Duration.ofDays(400).toMillis()))).contains("ahead of the job's clock");
  }

  @Test
  void anOversizedPayloadIsRefusedAndCutInTheDeadLetter() {
    byte[] big = new byte[5000];
    Ingested r = ingest(big);
    assertThat(r.deadLetter.getReason()).contains("exceeds the limit of 1024 bytes").contains("cut from 5000");
    assertThat(r.deadLetter.getRawValue().remaining()).isEqualTo(1024);
  }

  @Test
  void aModelUpdateIsRefusedNamingItsFingerprintAndType() {
    // Headerless, this body decoded as an interaction of user "file:///models/v7" with item "ab...".
    ModelUpdate update = ModelUpdate.newBuilder().setModelVersion("v7").setArtifactUri("file:///models/v7")
        .setManifestSha256("ab".repeat(32)).setKind(ModelKind.SASREC).setCreatedAt(Instant.ofEpochMilli(NOW)).build();
    byte[] bytes = AvroCodec.of(ModelUpdate.class).encode(update);

    Ingested r = ingest(bytes);

    assertThat(r.interaction).isNull();
    assertThat(r.deadLetter.getReason())
        .contains("schema fingerprint " + ReleasedSchemas.hex(ReleasedSchemas.fingerprint(ModelUpdate.getClassSchema())) + " is ModelUpdate v")
        .contains("not InteractionEvent");
    assertThat(r.deadLetter.getRawValue()).isEqualTo(ByteBuffer.wrap(bytes));
    // With the migration switch on, the headered record is still refused.
    assertThat(plainAccepting.ingest(bytes, null, "topic", 0, 1, NOW).deadLetter.getReason()).contains("is ModelUpdate v");
  }

  @Test
  void anEventWrittenWithTheFirstVersionIsAccepted() {
    Ingested r = ingest(WireBytes.asVersion(event("e1", "u1", "i1", NOW - 1000), 1));

    assertThat(r.deadLetter).isNull();
    assertThat(r.interaction.userId).isEqualTo("u1");
    assertThat(r.interaction.eventTime).isEqualTo(NOW - 1000);
  }

  @Test
  void plainBinaryIsRefusedByDefaultSayingHowToAcceptItAndAcceptedWithTheSwitch() {
    byte[] plain = WireBytes.plain(event("e1", "u1", "i1", NOW - 1000));

    assertThat(ingest(plain).deadLetter.getReason())
        .contains("no single-object header").contains("lmrec.wire.accept-plain-binary=true");
    Ingested accepted = plainAccepting.ingest(plain, null, "topic", 0, 1, NOW);
    assertThat(accepted.deadLetter).isNull();
    assertThat(accepted.interaction.itemId).isEqualTo("i1");
  }

  @Test
  void aTruncatedHeaderIsADeadLetter() {
    byte[] header = java.util.Arrays.copyOf(codec.encode(event("e1", "u1", "i1", NOW)), 6);

    assertThat(ingest(header).deadLetter.getReason()).contains("truncated single-object header");
  }

  final InteractionRecordDeserializer plainAccepting = new InteractionRecordDeserializer(1024, 32, Duration.ofHours(1), true);
}
