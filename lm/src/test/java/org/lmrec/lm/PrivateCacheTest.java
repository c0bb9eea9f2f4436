package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LM cache folder on the real file system: created private, and refused when others may write it. */
class PrivateCacheTest {
  @TempDir Path tmp;

  @Test
  void createsTheFolderWithOwnerOnlyPermissions() throws Exception {
    Path wanted = tmp.resolve("shared").resolve("lmrec-lm-me");
    assertThat(PrivateCache.folder(wanted)).isEqualTo(wanted);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted))).isEqualTo("rwx------");
    assertThat(PrivateCache.folder(wanted)).as("an existing private folder is reused").isEqualTo(wanted);
  }

  @Test
  void aFolderOthersMayWriteOrALinkIsNotUsed() throws Exception {
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(PrivateCache.problem(open)).contains("others may write it");
    Path instead = PrivateCache.folder(open);
    assertThat(instead).isNotEqualTo(open);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(instead))).isEqualTo("rwx------");

    Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("target")));
    assertThat(PrivateCache.problem(link)).isEqualTo("it is a symbolic link");
    assertThat(PrivateCache.folder(link)).isNotEqualTo(link);
  }
}
