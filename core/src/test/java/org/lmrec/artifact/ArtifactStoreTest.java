package org.lmrec.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  @TempDir Path root;

  @Test
  void versionsAreSortableTimestampsWithSuffixOnCollision() {
    Instant t = Instant.parse("2026-11-23T18:30:00.750Z");
    assertThat(ModelVersions.next("sasrec", t)).isEqualTo("sasrec-20261123T183000Z");

    ArtifactStore store = new ArtifactStore(root);
    String first = store.nextVersion("sasrec", t);
    ArtifactFixtures.write(root, first, "sasrec", t);
    String second = store.nextVersion("sasrec", t);
    ArtifactFixtures.write(root, second, "sasrec", t);
    String third = store.nextVersion("sasrec", t);
    assertThat(List.of(first, second, third))
        .containsExactly("sasrec-20261123T183000Z", "sasrec-20261123T183000Z-2", "sasrec-20261123T183000Z-3");
  }

  @Test
  void versionOrderIsNumericInTheSuffix() {
    List<String> versions = new ArrayList<>(List.of(
        "sasrec-20261123T183000Z-10", "sasrec-20261124T000000Z", "sasrec-20261123T183000Z-9",
        "sasrec-20261123T183000Z"));
    versions.sort(ModelVersions.ORDER);
    assertThat(versions).containsExactly("sasrec-20261123T183000Z", "sasrec-20261123T183000Z-9",
        "sasrec-20261123T183000Z-10", "sasrec-20261124T000000Z");
  }

  @Test
  void latestPicksNewestCompleteArtifactOfTheKind() throws Exception {
    Instant t1 = Instant.parse("2026-11-23T10:00:00Z");
    Instant t2 = Instant.parse("2026-11-23T11:00:00Z");
    Instant t3 = Instant.parse("2026-11-23T12:00:00Z");
    ArtifactStore store = new ArtifactStore(root);
    assertThat(store.latest("sasrec")).isEmpty();

    ArtifactFixtures.write(root, ModelVersions.next("sasrec", t2), "sasrec", t2);
    ArtifactFixtures.write(root, ModelVersions.next("sasrec", t1), "sasrec", t1);
    ArtifactFixtures.write(root, ModelVersions.next("gru4rec", t3), "gru4rec", t3);
    // Newer by name and time, but without a manifest: not a complete artifact.
    Files.createDirectories(root.resolve("sasrec-20270101T000000Z/weights"));
    // The writer's hidden temp directories are never candidates, even with a manifest inside.
    Path tmp = Files.createDirectories(root.resolve(".tmp-sasrec-20270102T000000Z-123"));
    Files.copy(root.resolve("sasrec-20261123T110000Z/manifest.json"), tmp.resolve("manifest.json"));

    assertThat(store.latest("sasrec")).get().extracting(ModelArtifact::version)
        .isEqualTo("sasrec-20261123T110000Z");
    assertThat(store.list("sasrec")).extracting(ModelArtifact::version)
        .containsExactly("sasrec-20261123T100000Z", "sasrec-20261123T110000Z");
    assertThat(store.latest("gru4rec").orElseThrow().version()).isEqualTo("gru4rec-20261123T120000Z");
    assertThat(store.latest("bert4rec")).isEmpty();
    assertThat(store.latest("sasrec").orElseThrow().load().weights().get("scale").data()).containsExactly(0.75f);
  }

  @Test
  void sameSecondCollisionsOrderBySuffix() {
    Instant t = Instant.parse("2026-11-23T18:30:00Z");
    ArtifactStore store = new ArtifactStore(root);
    for (int i = 0; i < 3; i++) {
      ArtifactFixtures.write(root, store.nextVersion("sasrec", t), "sasrec", t);
    }
    assertThat(store.latest("sasrec").orElseThrow().version()).isEqualTo("sasrec-20261123T183000Z-3");
  }

  @Test
  void damagedManifestInTheStoreIsAnErrorNotASkip() throws Exception {
    Instant t = Instant.parse("2026-11-23T18:30:00Z");
    ArtifactFixtures.write(root, "sasrec-20261123T183000Z", "sasrec", t);
    Files.move(root.resolve("sasrec-20261123T183000Z"), root.resolve("renamed"));
    ArtifactStore store = new ArtifactStore(root);
    assertThatThrownBy(() -> store.latest("sasrec")).isInstanceOf(ArtifactException.class)
        .hasMessageContaining("manifest version 'sasrec-20261123T183000Z' does not match its directory name 'renamed'");
  }
}
