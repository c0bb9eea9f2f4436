package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactLayout;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.flink.storage.FlinkFileSystems;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.flink.storage.StorageFiles;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.ServingModel;
import org.lmrec.stream.TestModels;

/**
 * The scorer's model loader on s3:// (a real S3 API server): inside the roots, under the size cap
 * (checked on the listing, before any byte is copied), every checksum verified on the local copy,
 * and the copy deleted afterwards whatever the outcome.
 */
class S3ModelLoadingTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("models");
  @TempDir static Path local;
  static ModelArtifact v1;
  static long v1Bytes;

  @BeforeAll
  static void publish() throws IOException {
    v1 = TestModels.write(local, "v1", ModelKind.SASREC, 40, 1);
    try (Stream<Path> files = Files.walk(v1.dir())) {
      v1Bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    StorageFiles.upload(v1.dir(), new org.apache.flink.core.fs.Path(S3.uri("prod/v1")), ArtifactLayout.MANIFEST);
    StorageFiles.upload(v1.dir(), new org.apache.flink.core.fs.Path(S3.uri("prod/refused/v1")), ArtifactLayout.MANIFEST);
    StorageFiles.upload(v1.dir(), new org.apache.flink.core.fs.Path(S3.uri("elsewhere/v1")), ArtifactLayout.MANIFEST);
  }

  static ModelLimits limits(long maxBytes) {
    return new ModelLimits(ArtifactRoots.ofUris(List.of(S3.uri("prod"))), 4, maxBytes);
  }

  static ModelPointer pointer(String uri) {
    return new ModelPointer(v1.version(), uri, v1.manifestSha256(), 1);
  }

  @Test
  void loadsAnAnnouncedS3ArtifactAndDeletesTheCopy() {
    int before = tempCopies();
    long t0 = System.nanoTime();
    ServingModel m = ModelLoader.load(pointer(S3.uri("prod/v1")), limits(v1Bytes));
    long s3Nanos = System.nanoTime() - t0;
    assertThat(m.version()).isEqualTo("v1");
    t0 = System.nanoTime();
    ModelLoader.load(new ModelPointer("v1", v1.dir().toUri().toString(), v1.manifestSha256(), 1), ModelLimits.unrestricted());
    System.out.printf("S3ModelLoadingTest: %d-byte artifact loaded from s3:// in %.1f ms, from its local folder in %.1f ms%n",
        v1Bytes, s3Nanos / 1e6, (System.nanoTime() - t0) / 1e6);
    assertThat(m.numItems()).isEqualTo(40);
    assertThat(tempCopies()).isEqualTo(before);

    ModelPointer p = ModelLoader.pointerTo(S3.uri("prod/v1"));
    assertThat(p.manifestSha256).isEqualTo(v1.manifestSha256());
    assertThat(p.uri).isEqualTo(S3.uri("prod/v1"));
    assertThat(tempCopies()).isEqualTo(before);
  }

  @Test
  void refusesAnArtifactOverTheCapBeforeCopyingAnything() {
    int before = tempCopies();
    assertThatThrownBy(() -> ModelLoader.load(pointer(S3.uri("prod/v1")), limits(v1Bytes - 1)))
        .isInstanceOf(ModelLoader.ModelRefusedException.class).hasMessageContaining("the cap (lmrec.models.max-artifact-bytes)");
    assertThat(tempCopies()).as("nothing copied").isEqualTo(before);
  }

  @Test
  void refusesOutsideTheRootsRefusedAndMissingArtifactsAndWrongHashes() {
    refused(pointer(S3.uri("elsewhere/v1")), "outside the artifact roots");
    refused(pointer(S3.uri("prod/refused/v1")), "the quality gate refused");
    refused(pointer(S3.uri("prod/../elsewhere/v1")), "'..'");
    refused(pointer(S3.uri("prod/v9")), "there is no artifact at");
    ModelPointer wrongHash = new ModelPointer("v1", S3.uri("prod/v1"), "00".repeat(32), 1);
    refused(wrongHash, "");
  }

  @Test
  void refusesAnArtifactWhoseFileChangedOnTheStore() throws Exception {
    StorageFiles.upload(v1.dir(), new org.apache.flink.core.fs.Path(S3.uri("prod/tampered")), ArtifactLayout.MANIFEST);
    String items = S3.uri("prod/tampered/" + ArtifactLayout.ITEMS);
    byte[] original = S3.read("prod/tampered/" + ArtifactLayout.ITEMS);
    original[original.length - 2] ^= 1;
    org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(items);
    try (OutputStream out = FlinkFileSystems.of(path).create(path, WriteMode.OVERWRITE)) {
      out.write(original);
    }
    int before = tempCopies();
    refused(pointer(S3.uri("prod/tampered")), "SHA-256");
    assertThat(tempCopies()).isEqualTo(before);
  }

  private static void refused(ModelPointer p, String why) {
    assertThatThrownBy(() -> ModelLoader.load(p, limits(Long.MAX_VALUE))).as(p.uri)
        .isInstanceOf(ModelLoader.ModelRefusedException.class).hasMessageContaining(why);
  }

  private static int tempCopies() {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return (int) s.filter(p -> p.getFileName().toString().startsWith("lmrec-model-")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
