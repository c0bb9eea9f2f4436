package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.ReleasedSchemas;
import org.lmrec.stream.WireBytes;

class ModelUpdateDeserializerTest {
  final ModelUpdateDeserializer deserializer = new ModelUpdateDeserializer();
  final AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class);

  static ModelUpdate update(ModelKind kind) {
    return ModelUpdate.newBuilder()
        .setModelVersion("v7").setArtifactUri("file:///models/v7").setManifestSha256("ab".repeat(32))
        .setKind(kind).setCreatedAt(Instant.ofEpochMilli(1234)).build();
  }

  @Test
  void anAnnouncementBecomesAPointerWithoutWeights() {
    ModelAnnouncement a = deserializer.announce(codec.encode(update(ModelKind.GRU4REC)), null, "models", 0, 5, 99);
    assertThat(a.deadLetter).isNull();
    assertThat(a.pointer).isEqualTo(new ModelPointer("v7", "file:///models/v7", "ab".repeat(32), 1234));
  }

  @Test
  void garbageAndUnknownKindsBecomeDeadLetters() {
    ModelAnnouncement garbage = deserializer.announce(new byte[] {1, 2, 3}, null, "models", 0, 6, 99);
    assertThat(garbage.pointer).isNull();
    assertThat(garbage.deadLetter.getReason()).contains("ModelUpdate");
    assertThat(garbage.deadLetter.getSourceOffset()).isEqualTo(6);

    ModelAnnouncement unknown = deserializer.announce(codec.encode(update(ModelKind.UNKNOWN)), null, "models", 0, 7, 99);
    assertThat(unknown.pointer).isNull();
    assertThat(unknown.deadLetter.getReason()).contains("unknown model kind");
  }

  @Test
  void anInteractionIsRefusedNamingItsType() {
    byte[] event = AvroCodec.of(InteractionEvent.class).encode(InteractionEvent.newBuilder().setEventId("e").setUserId("u")
        .setItemId("i").setEventType(EventType.CLICK).setEventTime(Instant.ofEpochMilli(1)).build());

    ModelAnnouncement a = deserializer.announce(event, null, "models", 0, 8, 99);

    assertThat(a.pointer).isNull();
    assertThat(a.deadLetter.getReason()).contains(ReleasedSchemas.hex(ReleasedSchemas.fingerprint(InteractionEvent.getClassSchema())))
        .contains("is InteractionEvent v").contains("not ModelUpdate");
  }

  @Test
  void anAnnouncementOfTheFirstVersionIsResolved() {
    ModelAnnouncement a = deserializer.announce(WireBytes.asVersion(update(ModelKind.SASREC), 1), null, "models", 0, 9, 99);

    assertThat(a.deadLetter).isNull();
    assertThat(a.pointer).isEqualTo(new ModelPointer("v7", "file:///models/v7", "ab".repeat(32), 1234));
  }

  @Test
  void headerlessAnnouncementsAreRefused() {
    ModelAnnouncement a = deserializer.announce(WireBytes.plain(update(ModelKind.SASREC)), null, "models", 0, 10, 99);

    assertThat(a.pointer).isNull();
    assertThat(a.deadLetter.getReason()).contains("no single-object header");
  }

  @Test
  void loaderRefusesUnsupportedUris() {
    ModelPointer p = new ModelPointer("v1", "s3://bucket/v1", "ab".repeat(32), 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelLoader.load(p))
        .isInstanceOf(ModelLoader.ModelRefusedException.class)
        .hasMessageContaining("unsupported artifact URI scheme");
  }

  @Test
  void loaderRefusesAnAnnouncementWithoutAManifestHash() {
    // Without the hash any files at the URI would be served as the announced version.
    for (String none : new String[] {"", " ", null}) {
      ModelPointer p = new ModelPointer("v1", "/tmp/anything", none, 1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelLoader.load(p))
          .isInstanceOf(ModelLoader.ModelRefusedException.class)
          .hasMessageContaining("carries no manifest SHA-256");
    }
  }
}
