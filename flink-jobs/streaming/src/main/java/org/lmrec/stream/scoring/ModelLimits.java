package org.lmrec.stream.scoring;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the scorer may load, so that nothing a writer of the model-update topic sends can make it
 * read outside the artifact roots or exhaust its memory: where from ({@link ArtifactRoots}), how
 * many models beyond the default line's it keeps (other lines and arms pinned to a version, each a
 * full item table in memory; restored from state after a restart too), and how large an artifact
 * may be on disk.
 *
 * @param maxExtraModels models kept besides the default line's
 * @param maxArtifactBytes bytes of all files of one artifact, checked before any is read
 */
public record ModelLimits(ArtifactRoots roots, int maxExtraModels, long maxArtifactBytes) implements Serializable {
  public ModelLimits {
    if (maxExtraModels < 0) throw new IllegalArgumentException("maxExtraModels must not be negative, got " + maxExtraModels);
    if (maxArtifactBytes <= 0) throw new IllegalArgumentException("maxArtifactBytes must be positive, got " + maxArtifactBytes);
  }

  /** For the offline replay and tools, whose models the operator chose. */
  public static ModelLimits unrestricted() {
    return new ModelLimits(ArtifactRoots.unrestricted(), Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Refuses an artifact directory whose regular files (links not followed) add up to more than the cap. */
  void checkSize(Path dir) {
    if (maxArtifactBytes == Long.MAX_VALUE) return;
    long total = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) total += Files.size(f);
        if (total > maxArtifactBytes) {
          throw new IllegalArgumentException("the artifact at " + dir + " holds more than " + maxArtifactBytes
              + " bytes, the cap (lmrec.models.max-artifact-bytes)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the artifact at " + dir, e);
    }
  }
}
