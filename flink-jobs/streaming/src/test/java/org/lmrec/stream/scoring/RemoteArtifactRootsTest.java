package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact-root allow-list on object-store URIs: matched by scheme, bucket and whole segments, strictly parsed. */
class RemoteArtifactRootsTest {
  static final ArtifactRoots ROOTS = ArtifactRoots.ofUris(List.of("s3://models/prod", "s3://other-bucket/"));

  @TempDir Path tmp;

  @Test
  void acceptsOnlyUrisStrictlyBelowARemoteRoot() {
    assertThat(remote(ROOTS.resolve("s3://models/prod/sasrec-1"))).isEqualTo("s3://models/prod/sasrec-1");
    assertThat(remote(ROOTS.resolve("s3://models/prod/sasrec-1/"))).isEqualTo("s3://models/prod/sasrec-1");
    assertThat(remote(ROOTS.resolve("s3://models/prod/line/a/sasrec-2"))).isEqualTo("s3://models/prod/line/a/sasrec-2");
    assertThat(remote(ROOTS.resolve("s3://other-bucket/sasrec-3"))).isEqualTo("s3://other-bucket/sasrec-3");

    refused("s3://models/prod", "outside the artifact roots"); // the root itself is no artifact
    refused("s3://models/prod/", "outside the artifact roots");
    refused("s3://models/production/sasrec-1", "outside the artifact roots"); // a string prefix is not a parent
    refused("s3://models-evil/prod/sasrec-1", "outside the artifact roots");
    refused("s3a://models/prod/sasrec-1", "outside the artifact roots");
    refused("gs://models/prod/sasrec-1", "outside the artifact roots");
    refused("s3://models/prod/refused/sasrec-1", "the quality gate refused");
    refused("s3://models/prod/../secrets/x", "'..'");
    refused("s3://models/prod/./sasrec-1", "'..'");
    refused("s3://models/prod//sasrec-1", "empty");
    refused("s3://models/prod/%2e%2e/secrets", "'%'");
    refused("s3://models/prod\\..\\x", "'\\'");
    refused("s3://models/prod/sasrec-1\n", "control character");
    refused("s3://models/prod/sasrec\u0000-1", "control character");
    refused("s3://user@models/prod/sasrec-1", "user info");
    refused("s3://models:9000/prod/sasrec-1", "a port");
    refused("s3://models/prod/sasrec-1?versionId=3", "a query");
    refused("s3://models/prod/sasrec-1#x", "a fragment");
    refused("s3:///prod/sasrec-1", "bucket");
    refused("s3://Models/prod/sasrec-1", "bucket");
    refused("s3://models/prod/sa srec", "not a valid URI");
  }

  @Test
  void localAndRemoteRootsNeverStandInForEachOther() throws Exception {
    Path local = Files.createDirectories(tmp.resolve("artifacts").resolve("sasrec-1"));
    assertThatThrownBy(() -> ROOTS.resolve(local.toUri().toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only remote artifact roots");
    ArtifactRoots localOnly = ArtifactRoots.ofUris(List.of(tmp.resolve("artifacts").toString()));
    assertThat(localOnly.resolve(local.toUri().toString())).isEqualTo(new ArtifactRoots.Local(local.toRealPath()));
    assertThatThrownBy(() -> localOnly.resolve("s3://models/prod/sasrec-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no remote artifact roots");
    ArtifactRoots both = ArtifactRoots.ofUris(List.of(tmp.resolve("artifacts").toUri().toString(), "s3://models/prod"));
    assertThat(both.resolve(local.toString())).isInstanceOf(ArtifactRoots.Local.class);
    assertThat(both.resolve("s3://models/prod/v")).isInstanceOf(ArtifactRoots.Remote.class);
    assertThat(ArtifactRoots.unrestricted().resolve("s3://any-bucket/x/y")).isInstanceOf(ArtifactRoots.Remote.class);
  }

  @Test
  void theJobTakesRemoteRootsFromItsSettingsOrTheInitialModelsFolder() {
    org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
    c.setString("lmrec.models.artifact-roots", "s3://models/prod;" + tmp.resolve("local"));
    ArtifactRoots configured = org.lmrec.stream.job.StreamingJob.artifactRoots(c);
    assertThat(configured.resolve("s3://models/prod/v2")).isInstanceOf(ArtifactRoots.Remote.class);
    assertThat(configured.toString()).contains("s3://models/prod").contains(tmp.resolve("local").toString());

    org.apache.flink.configuration.Configuration initial = new org.apache.flink.configuration.Configuration();
    initial.setString("lmrec.model.initial", "s3://models/prod/line-a/v1");
    ArtifactRoots fromInitial = org.lmrec.stream.job.StreamingJob.artifactRoots(initial);
    assertThat(fromInitial.resolve("s3://models/prod/line-a/v2")).isInstanceOf(ArtifactRoots.Remote.class);
    assertThatThrownBy(() -> fromInitial.resolve("s3://models/prod/v2")).hasMessageContaining("outside the artifact roots");
  }

  @Test
  void aMalformedRemoteRootStopsTheConfiguration() {
    assertThatThrownBy(() -> ArtifactRoots.ofUris(List.of("s3://models/prod/../x"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("artifact root s3://models/prod/../x");
    assertThatThrownBy(() -> ArtifactRoots.ofUris(List.of("s3://"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static String remote(ArtifactRoots.Location l) {
    assertThat(l).isInstanceOf(ArtifactRoots.Remote.class);
    return ((ArtifactRoots.Remote) l).location().uri();
  }

  private static void refused(String uri, String why) {
    assertThatThrownBy(() -> ROOTS.resolve(uri)).as(uri).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
  }
}
