package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.flink.announce.TestKeys;
import org.lmrec.flink.announce.AnnouncementSigner;
import org.lmrec.flink.announce.AnnouncementVerifier;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.ReleasedSchemas;
import org.lmrec.stream.WireBytes;

class ModelUpdateDeserializerTest {
  @TempDir static Path keys;
  static AnnouncementSigner publisher;
  ModelUpdateDeserializer deserializer;
  final AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class);

  @BeforeAll
  static void key() {
    publisher = TestKeys.signer(keys.resolve("trusted"), "publisher", 1);
  }

  @BeforeEach
  void open() {
    deserializer = new ModelUpdateDeserializer(AnnouncementVerifier.fromFiles(List.of(keys.resolve("trusted")), true));
  }

  static ModelUpdate update(ModelKind kind) {
    return ModelUpdate.newBuilder()
        .setModelVersion("v7").setArtifactUri("file:///models/v7").setManifestSha256("ab".repeat(32))
        .setKind(kind).setCreatedAt(Instant.ofEpochMilli(1234)).build();
  }

  @Test
  void anAnnouncementBecomesAPointerWithoutWeights() {
    ModelAnnouncement a = deserializer.announce(codec.encode(publisher.sign(update(ModelKind.GRU4REC))), null, "models", 0, 5, 99);
    assertThat(a.deadLetter).isNull();
    assertThat(a.pointer).isEqualTo(new ModelPointer("v7", "file:///models/v7", "ab".repeat(32), 1234));
    assertThat(deserializer.refusals()).isZero();
  }

  @Test
  void unsignedForeignAndTamperedAnnouncementsAreRefusedAsCountedDeadLetters() {
    AnnouncementSigner stranger = TestKeys.signer(keys.resolve("stranger"), "stranger", 2);
    ModelUpdate tampered = ModelUpdate.newBuilder(publisher.sign(update(ModelKind.SASREC))).setArtifactUri("file:///elsewhere/v7").build();
    List<ModelUpdate> refused = List.of(update(ModelKind.SASREC), stranger.sign(update(ModelKind.SASREC)), tampered);
    for (int i = 0; i < refused.size(); i++) {
      byte[] value = codec.encode(refused.get(i));
      ModelAnnouncement a = deserializer.announce(value, "sasrec".getBytes(java.nio.charset.StandardCharsets.UTF_8), "models", 0, 10 + i, 99);
      assertThat(a.pointer).as("announcement %d", i).isNull();
      assertThat(a.deadLetter.getReason()).startsWith("ModelUpdate refused: ");
      assertThat(a.deadLetter.getSourceOffset()).isEqualTo(10 + i);
      java.nio.ByteBuffer raw = a.deadLetter.getRawValue().duplicate();
      byte[] kept = new byte[raw.remaining()];
      raw.get(kept);
      assertThat(kept).as("the original bytes are kept").isEqualTo(value);
    }
    assertThat(deserializer.refusals()).isEqualTo(3);
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
    // v1 predates signatures: only a job that does not require them can accept it.
    ModelUpdateDeserializer unsignedAccepted = new ModelUpdateDeserializer(AnnouncementVerifier.fromFiles(List.of(keys.resolve("trusted")), false));
    ModelAnnouncement a = unsignedAccepted.announce(WireBytes.asVersion(update(ModelKind.SASREC), 1), null, "models", 0, 9, 99);

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
  void labelsWithLineBreaksOrBidiControlsAreRefusedBeforeTheyReachALogLine() {
    // A line name with a newline once reached the scorer's log lines verbatim: a forged log entry.
    ModelUpdate forgedLine = update(ModelKind.SASREC);
    forgedLine.setModelLine("main\n2026-12-05 08:00:00 INFO now serving model v1");
    ModelUpdate hiddenVersion = update(ModelKind.SASREC);
    hiddenVersion.setModelVersion("v7\u202Evil");
    ModelUpdate spacedVersion = update(ModelKind.SASREC);
    spacedVersion.setModelVersion("v7 final");
    ModelUpdate uriWithCarriageReturn = update(ModelKind.SASREC);
    uriWithCarriageReturn.setArtifactUri("file:///models/v7\r");

    for (ModelUpdate u : new ModelUpdate[] {forgedLine, hiddenVersion, spacedVersion, uriWithCarriageReturn}) {
      ModelAnnouncement a = deserializer.announce(codec.encode(u), null, "models", 0, 8, 99);
      assertThat(a.pointer).as(u.toString()).isNull();
      assertThat(a.deadLetter.getReason()).startsWith("ModelUpdate refused: ").doesNotContain("\n", "\r", "\u202E");
    }
    ModelAnnouncement forged = deserializer.announce(codec.encode(forgedLine), null, "models", 0, 8, 99);
    assertThat(forged.deadLetter.getReason()).contains("main\\n2026");
  }

  @Test
  void unicodeLabelsThatPrintAsThemselvesAreAccepted() {
    ModelUpdate u = update(ModelKind.SASREC);
    u.setModelLine("empfehlung-ä-日本");
    assertThat(deserializer.announce(codec.encode(publisher.sign(u)), null, "models", 0, 9, 99).pointer).isNotNull();
  }

  @Test
  void loaderRefusesUrisWithoutAFileSystem() {
    // s3:// goes through Flink's file systems (S3ModelLoadingTest); a scheme none serves is a refusal naming it.
    ModelPointer p = new ModelPointer("v1", "gopher://bucket/v1", "ab".repeat(32), 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelLoader.load(p))
        .isInstanceOf(ModelLoader.ModelRefusedException.class)
        .hasMessageContaining("no file system for the scheme 'gopher'");
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
