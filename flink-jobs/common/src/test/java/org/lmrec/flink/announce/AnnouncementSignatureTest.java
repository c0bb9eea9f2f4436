package org.lmrec.flink.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;

class AnnouncementSignatureTest {
  @TempDir static Path dir;
  static AnnouncementSigner publisher;
  static AnnouncementVerifier scorer;

  @BeforeAll
  static void keys() {
    publisher = TestKeys.signer(dir.resolve("trusted"), "publisher-1", 1);
    scorer = AnnouncementVerifier.fromFiles(List.of(dir.resolve("trusted")), true);
  }

  static ModelUpdate update() {
    return ModelUpdate.newBuilder()
        .setModelVersion("v7").setArtifactUri("file:///models/v7").setManifestSha256("ab".repeat(32))
        .setKind(ModelKind.SASREC).setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setModelLine("candidate").build();
  }

  @Test
  void aSignedAnnouncementVerifiesWithThePublishersPublicKey() {
    ModelUpdate signed = publisher.sign(update());
    assertThat(signed.getKeyId()).isEqualTo("publisher-1");
    assertThat(signed.getSignature().remaining()).isEqualTo(64);
    assertThat(scorer.refusal(signed)).isEmpty();
  }

  @Test
  void changingAnySignedFieldAfterSigningIsRefused() {
    ModelUpdate signed = publisher.sign(update());
    Map<String, UnaryOperator<ModelUpdate.Builder>> tampering = Map.of(
        "version", b -> b.setModelVersion("v6"),
        "uri", b -> b.setArtifactUri("file:///models/v6"),
        "hash", b -> b.setManifestSha256("cd".repeat(32)),
        "kind", b -> b.setKind(ModelKind.GRU4REC),
        "createdAt", b -> b.setCreatedAt(Instant.ofEpochMilli(1_700_000_000_001L)),
        "line", b -> b.setModelLine(null),
        "rollback", b -> b.setRollback(true));
    tampering.forEach((field, change) -> assertThat(scorer.refusal(change.apply(ModelUpdate.newBuilder(signed)).build()))
        .as("changed %s", field)
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("ModelUpdate refused: ").contains("does not verify")));
  }

  @Test
  void aSignatureByAnotherKeyOrUnderAnotherIdIsRefused() {
    // Another key that claims the trusted key's id.
    AnnouncementSigner impostor = TestKeys.signer(dir.resolve("impostor"), "publisher-1", 2);
    assertThat(scorer.refusal(impostor.sign(update()))).hasValueSatisfying(r -> assertThat(r).contains("does not verify"));
    // A key the scorer does not know.
    AnnouncementSigner stranger = TestKeys.signer(dir.resolve("stranger"), "stranger", 3);
    assertThat(scorer.refusal(stranger.sign(update())))
        .hasValueSatisfying(r -> assertThat(r).contains("key 'stranger'").contains("not among the trusted keys [publisher-1]"));
    // The trusted signature moved to another key id.
    ModelUpdate signed = publisher.sign(update());
    ModelUpdate relabelled = ModelUpdate.newBuilder(signed).setKeyId("stranger").build();
    assertThat(scorer.refusal(relabelled)).isPresent();
    // A key id from the wire is quoted escaped and cut in the reason.
    ModelUpdate forged = ModelUpdate.newBuilder(signed).setKeyId("k\n2026-12-05 INFO forged" + "x".repeat(500)).build();
    assertThat(scorer.refusal(forged)).hasValueSatisfying(r -> assertThat(r).doesNotContain("\n").contains("k\\n2026").hasSizeLessThan(400));
  }

  @Test
  void unsignedAndMalformedSignaturesAreRefusedWithoutAnException() {
    assertThat(scorer.refusal(update())).hasValueSatisfying(r -> assertThat(r).contains("is unsigned").contains("require-signature"));
    ModelUpdate signed = publisher.sign(update());
    for (byte[] sig : new byte[][] {{}, {1, 2, 3}, new byte[64], new byte[1000]}) {
      assertThat(scorer.refusal(ModelUpdate.newBuilder(signed).setSignature(ByteBuffer.wrap(sig)).build())).as("%d bytes", sig.length).isPresent();
    }
    assertThat(scorer.refusal(ModelUpdate.newBuilder(signed).setSignature(null).build())).isPresent();
  }

  @Test
  void withoutRequiredSignaturesOnlyRollbacksAndBadSignaturesAreRefused() {
    AnnouncementVerifier optional = AnnouncementVerifier.fromFiles(List.of(dir.resolve("trusted")), false);
    assertThat(optional.refusal(update())).isEmpty();
    assertThat(optional.refusal(ModelUpdate.newBuilder(update()).setRollback(true).build()))
        .hasValueSatisfying(r -> assertThat(r).contains("a rollback must be signed"));
    assertThat(optional.refusal(publisher.sign(ModelUpdate.newBuilder(update()).setRollback(true).build()))).isEmpty();
    ModelUpdate tampered = ModelUpdate.newBuilder(publisher.sign(update())).setModelVersion("v1").build();
    assertThat(optional.refusal(tampered)).isPresent();
  }

  @Test
  void requiringSignaturesWithoutATrustedKeyIsRefusedWithTheSettingToFix() {
    assertThatThrownBy(() -> AnnouncementVerifier.fromFiles(List.of(), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lmrec.models.trusted-keys").hasMessageContaining("lmrec.models.require-signature");
    assertThat(AnnouncementVerifier.fromFiles(List.of(), false).required()).isFalse();
  }

  @Test
  void theSignedBytesAreUnambiguous() {
    // Length prefixes: moving a character between neighbouring fields changes the bytes; null is not "".
    ModelUpdate a = ModelUpdate.newBuilder(update()).setModelVersion("v7a").setArtifactUri("bc").build();
    ModelUpdate b = ModelUpdate.newBuilder(update()).setModelVersion("v7").setArtifactUri("abc").build();
    assertThat(SignedFields.of(a)).isNotEqualTo(SignedFields.of(b));
    assertThat(SignedFields.of(ModelUpdate.newBuilder(update()).setModelLine("").build()))
        .isNotEqualTo(SignedFields.of(ModelUpdate.newBuilder(update()).setModelLine(null).build()));
    // The signature itself is not covered, every other field is.
    ModelUpdate signed = publisher.sign(update());
    assertThat(SignedFields.of(signed)).isEqualTo(SignedFields.of(ModelUpdate.newBuilder(signed).setSignature(ByteBuffer.wrap(new byte[] {9})).build()));
  }

  @Test
  void keyFilesArePemThePrivateOneReadableByItsOwnerOnlyAndNeverOverwritten() throws Exception {
    AnnouncementKeys.KeyPairFiles files = TestKeys.write(dir.resolve("generated"), null, 4);
    assertThat(files.keyId()).matches("lmrec-[0-9a-f]{12}");
    assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(files.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey()))).isEqualTo("rw-------");
    assertThat(files.keyId()).isEqualTo("lmrec-" + AnnouncementKeys.fingerprint(AnnouncementKeys.readPublic(files.publicKey())).substring(0, 12));
    assertThatThrownBy(() -> TestKeys.write(dir.resolve("generated"), files.keyId(), 5)).hasMessageContaining(files.keyId());
    // DER files work too, and a signer from the file verifies against its public key.
    Path der = dir.resolve("der");
    Files.createDirectories(der);
    Files.write(der.resolve("derkey.key"), AnnouncementKeys.readPrivate(files.privateKey()).getEncoded());
    Files.write(der.resolve("derkey.pub"), AnnouncementKeys.readPublic(files.publicKey()).getEncoded());
    ModelUpdate signed = AnnouncementSigner.fromFile(der.resolve("derkey.key")).sign(update());
    assertThat(AnnouncementVerifier.fromFiles(List.of(der.resolve("derkey.pub")), true).refusal(signed)).isEmpty();
    assertThatThrownBy(() -> AnnouncementKeys.readPublic(files.privateKey())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void severalTrustedKeysAllowARotation() {
    AnnouncementSigner next = TestKeys.signer(dir.resolve("rotation"), "publisher-2", 6);
    AnnouncementVerifier both = AnnouncementVerifier.fromFiles(List.of(dir.resolve("trusted"), dir.resolve("rotation").resolve("publisher-2.pub")), true);
    assertThat(both.refusal(publisher.sign(update()))).isEmpty();
    assertThat(both.refusal(next.sign(update()))).isEmpty();
    assertThat(scorer.refusal(next.sign(update()))).isPresent();
  }
}
