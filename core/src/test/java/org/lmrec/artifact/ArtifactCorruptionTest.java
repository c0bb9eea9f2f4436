package org.lmrec.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an artifact can be damaged must be refused with a message naming the file and the problem. */
class ArtifactCorruptionTest {
  @TempDir Path root;
  private Path dir;
  private ModelArtifact written;

  @BeforeEach
  void writeArtifact() {
    written = ArtifactFixtures.write(root, "v1");
    dir = written.dir();
  }

  private void assertRefused(String... fragments) {
    assertThatThrownBy(() -> ArtifactReader.load(dir)).isInstanceOf(ArtifactException.class)
        .message().contains(fragments);
    // verify() runs the same checks without keeping weights.
    assertThatThrownBy(() -> ArtifactReader.verify(dir)).isInstanceOf(ArtifactException.class)
        .message().contains(fragments);
  }

  @Test
  void flippedByteInAWeightFileIsAChecksumMismatch() throws Exception {
    Path file = dir.resolve("weights/item_emb.f32");
    String expected = ArtifactFixtures.sha(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[4 * 5] ^= 0x01; // lowest mantissa bit of value 5: still a finite float, only the checksum can tell
    Files.write(file, bytes);
    String actual = Sha256.hex(bytes);
    assertRefused(file.toString(), "SHA-256 mismatch for tensor 'item_emb'", "expected " + expected,
        "actual " + actual);
  }

  @Test
  void truncatedWeightFileIsASizeMismatch() throws Exception {
    Path file = dir.resolve("weights/item_emb.f32");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(44);
    }
    assertRefused(file.toString(), "size 44 bytes does not match tensor 'item_emb' shape [4, 3] float32",
        "needs 48 bytes");
  }

  @Test
  void deletedFilesAreNamed() throws Exception {
    Files.delete(dir.resolve("weights/pos_emb.f32"));
    assertRefused(dir.resolve("weights/pos_emb.f32").toString(), "missing weight file for tensor 'pos_emb'");
  }

  @Test
  void deletedItemsFileIsNamed() throws Exception {
    Files.delete(dir.resolve("items.tsv"));
    assertRefused(dir.resolve("items.tsv").toString(), "missing file declared in manifest.json");
  }

  @Test
  void deletedManifestIsNamed() throws Exception {
    Files.delete(dir.resolve("manifest.json"));
    assertRefused(dir.resolve("manifest.json").toString(), "missing manifest");
  }

  @Test
  void missingDirectoryIsNamed() {
    dir = root.resolve("nope");
    assertRefused(dir.toString(), "artifact directory does not exist");
  }

  @Test
  void changedExtraFileIsAChecksumMismatch() throws Exception {
    Files.writeString(dir.resolve("lora/adapter.bin"), "tampered");
    assertRefused(dir.resolve("lora/adapter.bin").toString(), "SHA-256 mismatch: expected "
        + Sha256.hex("adapter-bytes".getBytes()) + ", actual " + Sha256.hex("tampered".getBytes()));
  }

  @Test
  void editedManifestFailsTheAnnouncedChecksum() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> ((ObjectNode) m.get("metrics")).put("hr@10", 0.99));
    // Self-consistent edits are invisible without the announced checksum ...
    assertThat(ArtifactReader.load(dir).manifest().metrics().get("hr@10")).isEqualTo(0.99);
    // ... and caught with it.
    String actual = ArtifactFixtures.sha(dir.resolve("manifest.json"));
    assertThatThrownBy(() -> ArtifactReader.load(dir, written.manifestSha256()))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(dir.resolve("manifest.json").toString())
        .hasMessageContaining("SHA-256 mismatch: expected " + written.manifestSha256() + ", actual " + actual);
    assertThatThrownBy(written::load).hasMessageContaining("SHA-256 mismatch");
  }

  @Test
  void nanWrittenBehindTheWritersBackIsRefusedNamingTensorAndIndex() throws Exception {
    Path file = dir.resolve("weights/item_emb.f32");
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putFloat(4 * 7, Float.NaN);
    Files.write(file, buf.array());
    ArtifactFixtures.resealTensor(dir, "item_emb"); // checksum now agrees: only the NaN is wrong
    assertRefused(file.toString(), "tensor 'item_emb' has non-finite value NaN at flat index 7 (position [2, 1])");
  }

  @Test
  void itemsFileWithTooFewLinesIsRefused() throws Exception {
    Path items = dir.resolve("items.tsv");
    List<String> lines = ArtifactFixtures.lines(items);
    Files.write(items, lines.subList(0, 2));
    ArtifactFixtures.resealFile(dir, "items.tsv");
    assertRefused(items.toString(), "has 2 items but manifest config numItems is 3");
  }

  @Test
  void itemsFileWithIndicesOutOfOrderIsRefused() throws Exception {
    Path items = dir.resolve("items.tsv");
    Files.writeString(items, "1\tm-10\n3\tm-30\n2\tm-20\n");
    ArtifactFixtures.resealFile(dir, "items.tsv");
    assertRefused(items.toString(), "line 2: index 3 but expected 2");
  }

  @Test
  void unsupportedFormatVersionIsRefused() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> m.put("formatVersion", 2));
    assertRefused(dir.resolve("manifest.json").toString(), "unsupported formatVersion 2 (this reader supports 1)");
  }

  @Test
  void malformedJsonIsRefusedWithItsLocation() throws Exception {
    Path manifest = dir.resolve("manifest.json");
    String json = Files.readString(manifest);
    Files.writeString(manifest, json.substring(0, json.length() / 2));
    assertRefused(manifest.toString(), "malformed JSON at line");
  }

  @Test
  void missingRequiredFieldIsNamed() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> m.remove("tensors"));
    assertRefused("manifest.json", "missing required field 'tensors'");
  }

  @Test
  void unsupportedDtypeIsRefused() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> ((ObjectNode) m.get("tensors").get("scale")).put("dtype", "float16"));
    assertRefused("manifest.json", "tensor 'scale' has unsupported dtype 'float16'");
  }

  @Test
  void pathEscapingTheArtifactIsRefused() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> ((ObjectNode) m.get("tensors").get("scale")).put("file", "../x.f32"));
    assertRefused("manifest.json", "'../x.f32'");
  }

  @Test
  void unknownJsonFieldsAreIgnored() throws Exception {
    ArtifactFixtures.editManifest(dir, m -> {
      m.put("futureField", "from a newer writer");
      m.putObject("futureObject").put("x", 1);
      ((ObjectNode) m.get("tensors").get("item_emb")).put("quantisation", "none");
      ((ObjectNode) m.get("trainingData")).put("split", "leave-one-out");
    });
    LoadedArtifact loaded = ArtifactReader.load(dir);
    assertThat(loaded.weights().get("item_emb").shape()).containsExactly(4, 3);
    assertThat(loaded.manifest().trainingData()).isEqualTo(ArtifactFixtures.trainingData());
  }
}
