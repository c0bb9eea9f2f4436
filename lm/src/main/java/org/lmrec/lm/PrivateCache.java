package org.lmrec.lm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache folder that no other user can write. The LM checkpoint is extracted there once and then
 * loaded by every run: in a shared folder such as {@code /tmp}, another local user could create
 * the folder first, or swap a file between its check and its use. So the folder is created with
 * owner-only permissions, and an existing one is used only if this user owns it, it is no
 * symbolic link, and nobody else may write it; otherwise a fresh private temporary folder is
 * used instead, with a warning.
 */
final class PrivateCache {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateCache.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateCache() {}

  static Path folder(Path wanted) {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.exists(wanted, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(wanted.toAbsolutePath().getParent());
        try {
          if (posix) Files.createDirectory(wanted, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          else Files.createDirectory(wanted);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another process created it first: checked below like any existing folder
        }
      }
      String problem = posix ? problem(wanted) : null;
      if (problem == null) return wanted;
      Path fallback = Files.createTempDirectory("lmrec-lm-"); // owner-only on POSIX
      LOG.warn("not using {} as the LM cache: {}; extracting into {} instead", wanted, problem, fallback);
      return fallback;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the LM cache folder " + wanted + ": " + e.getMessage(), e);
    }
  }

  /** Why {@code dir} is not safe to use, or null. */
  static String problem(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) return "it is a symbolic link";
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return "it is not a directory";
    String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
    String me = System.getProperty("user.name");
    if (me != null && !owner.equals(me)) return "it belongs to " + owner + ", not " + me;
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      return "others may write it (" + PosixFilePermissions.toString(perms) + ")";
    }
    return null;
  }
}
