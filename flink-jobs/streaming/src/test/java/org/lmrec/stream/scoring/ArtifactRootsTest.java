package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an announced artifact may be loaded from, on a real file system with real symbolic links. */
class ArtifactRootsTest {
  @TempDir Path tmp;

  @Test
  void acceptsOnlyRealPathsStrictlyInsideARootAndOutsideRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("artifacts"));
    Path published = Files.createDirectories(root.resolve("sasrec-1"));
    Path refused = Files.createDirectories(root.resolve("refused").resolve("sasrec-2"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere").resolve("sasrec-3"));
    Path escape = Files.createSymbolicLink(root.resolve("sasrec-4"), elsewhere);
    Path inside = Files.createSymbolicLink(root.resolve("latest"), published);
    ArtifactRoots roots = ArtifactRoots.of(List.of(root, tmp.resolve("not-created-yet")));

    assertThat(roots.check(published)).isEqualTo(published.toRealPath());
    assertThat(roots.check(inside)).isEqualTo(published.toRealPath()); // a link that stays inside is fine
    assertRefused(roots, refused, "the quality gate refused");
    assertRefused(roots, elsewhere, "outside the artifact roots");
    assertRefused(roots, escape, "outside the artifact roots");
    assertRefused(roots, root.resolve("sasrec-1").resolve("..").resolve("..").resolve("elsewhere").resolve("sasrec-3"), "contains '..'");
    assertRefused(roots, Path.of("artifacts/sasrec-1"), "not absolute");
    assertRefused(roots, root.resolve("missing"), "does not exist");
    assertRefused(roots, root, "outside the artifact roots"); // the root itself is no artifact
    assertRefused(ArtifactRoots.of(List.of()), published, "no artifact roots are configured");
    assertThat(ArtifactRoots.unrestricted().check(elsewhere)).isEqualTo(elsewhere);
  }

  private static void assertRefused(ArtifactRoots roots, Path p, String why) {
    assertThatThrownBy(() -> roots.check(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
  }
}
