package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.model.ModelKind;
import org.lmrec.stream.TestModels;

/** The s3:// artifact store mirrored around a local cache: push, pull into an empty cache, retention's deletions, torn uploads. */
class RemoteArtifactStoreTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("models");
  @TempDir Path dir;

  @Test
  void mirrorsVersionsServingAndRefusedBothWaysAndTheRetentionsDeletions() throws Exception {
    Path cache = dir.resolve("cache");
    ModelArtifact v1 = TestModels.write(cache, "v1", ModelKind.SASREC, 20, 1);
    ModelArtifact v2 = TestModels.write(cache, "v2", ModelKind.SASREC, 20, 2);
    ModelArtifact r1 = TestModels.write(cache.resolve(ModelRegistry.REFUSED_DIR), "r1", ModelKind.SASREC, 20, 3);
    new ModelRegistry(cache, "sasrec").markServing(v2, Instant.parse("2026-03-01T00:00:00Z"));
    RemoteArtifactStore store = new RemoteArtifactStore(S3.uri("prod/"), cache);
    assertThat(store.uriOf(v2)).isEqualTo(S3.uri("prod/v2"));
    assertThat(store.uriOf(r1)).isEqualTo(S3.uri("prod/refused/r1"));

    store.upload(v1);
    store.push();
    assertThat(store.remoteVersions()).containsExactly("refused/r1", "v1", "v2");
    assertThat(S3.keys("prod/")).contains("prod/SERVING.json", "prod/v2/manifest.json", "prod/refused/r1/manifest.json");

    // An upload that never got its manifest is no version: a pull skips it.
    Files.writeString(dir.resolve("half.txt"), "x");
    org.lmrec.flink.storage.StorageFiles.uploadFile(dir.resolve("half.txt"), new org.apache.flink.core.fs.Path(S3.uri("prod/v3/items.tsv")));

    Path fresh = dir.resolve("fresh");
    RemoteArtifactStore pulled = new RemoteArtifactStore(S3.uri("prod"), fresh);
    pulled.pull();
    assertThat(pulled.localVersions()).containsExactly("refused/r1", "v1", "v2");
    assertThat(Files.exists(fresh.resolve("v3"))).isFalse();
    assertThat(new ModelRegistry(fresh, "sasrec").serving()).map(ModelArtifact::manifestSha256).hasValue(v2.manifestSha256());

    // A new version, then the retention deletes v1 (and the refused r1) in the cache: the push mirrors both.
    ModelArtifact v4 = TestModels.write(fresh, "v4", ModelKind.SASREC, 20, 4);
    assertThat(new ModelRegistry(fresh, "sasrec").prune(2, 0)).containsExactlyInAnyOrder("v1", "r1");
    pulled.push();
    assertThat(S3.keys("prod/v4/")).contains("prod/v4/manifest.json");
    assertThat(pulled.uriOf(v4)).isEqualTo(S3.uri("prod/v4"));
    assertThat(S3.keys("prod/v1/")).isEmpty();
    assertThat(S3.keys("prod/refused/")).allMatch(k -> k.endsWith("/")); // S3A keeps an empty "directory" marker
    assertThat(S3.keys("prod/v2/")).isNotEmpty();
  }
}
