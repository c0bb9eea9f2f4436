package org.lmrec.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.flink.announce.AnnouncementVerifier;

class LocalDemoKeysTest {
  @TempDir Path dir;

  @Test
  void theDemoCreatesItsKeyPairOnFirstRunReusesItAfterwardsAndTheJobTrustsIt() throws Exception {
    Path keys = dir.resolve("runs/local/keys");
    LocalDemo.DemoSigner first = LocalDemo.demoSigner(keys);
    assertThat(first.publicKeyFile()).exists();
    try (var files = Files.list(keys)) {
      Path privateKey = files.filter(f -> f.toString().endsWith(".key")).findFirst().orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
    }

    LocalDemo.DemoSigner second = LocalDemo.demoSigner(keys);
    assertThat(second.signer().keyId()).isEqualTo(first.signer().keyId());
    try (var files = Files.list(keys)) {
      assertThat(files.count()).as("no second pair").isEqualTo(2);
    }
    ModelUpdate update = ModelUpdate.newBuilder().setModelVersion("v1").setArtifactUri("file:///m/v1").setManifestSha256("ab".repeat(32))
        .setKind(ModelKind.SASREC).setCreatedAt(Instant.ofEpochMilli(1)).build();
    AnnouncementVerifier job = AnnouncementVerifier.fromFiles(List.of(second.publicKeyFile()), true);
    assertThat(job.refusal(first.signer().sign(update))).isEmpty();
  }
}
