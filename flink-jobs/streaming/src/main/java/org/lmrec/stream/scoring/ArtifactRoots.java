package org.lmrec.stream.scoring;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.lmrec.artifact.ModelRegistry;

/**
 * The directories the scorer may load announced artifacts from. Anyone who can write the
 * model-update topic chooses a URI; without this, any directory the task can read would be
 * served. A path resolves only when it is absolute, has no {@code ..} segment, and its real path
 * (symbolic links followed) lies strictly inside the real path of a root, and not in the
 * registry's {@code refused/} folder, where the quality gate keeps the models it refused.
 */
public final class ArtifactRoots implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Roots as configured (absolute, normalized); resolved to real paths at each check, so a root created later counts. */
  private final List<String> roots;
  private final boolean unrestricted;

  private ArtifactRoots(List<String> roots, boolean unrestricted) {
    this.roots = List.copyOf(roots);
    this.unrestricted = unrestricted;
  }

  public static ArtifactRoots of(List<Path> roots) {
    return new ArtifactRoots(roots.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(), false);
  }

  /** No restriction: for the offline replay and command-line tools, whose pointers the operator chose. */
  public static ArtifactRoots unrestricted() {
    return new ArtifactRoots(List.of(), true);
  }

  /**
   * The artifact directory of an announced path.
   *
   * @throws IllegalArgumentException saying why it may not be loaded
   */
  public Path check(Path announced) {
    if (unrestricted) return announced;
    for (Path segment : announced) {
      if (segment.toString().equals("..")) throw new IllegalArgumentException("the artifact path " + announced + " contains '..'");
    }
    if (!announced.isAbsolute()) throw new IllegalArgumentException("the artifact path " + announced + " is not absolute");
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no artifact roots are configured (lmrec.models.artifact-roots), so no announced model may be loaded");
    }
    Path real;
    try {
      real = announced.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("the artifact path " + announced + " does not exist or cannot be read", e);
    }
    for (String root : roots) {
      Path rootReal;
      try {
        rootReal = Path.of(root).toRealPath();
      } catch (IOException missing) {
        continue;
      }
      if (real.startsWith(rootReal) && !real.equals(rootReal)) {
        if (rootReal.relativize(real).getName(0).toString().equals(ModelRegistry.REFUSED_DIR)) {
          throw new IllegalArgumentException("the artifact " + announced + " is one the quality gate refused (under " + ModelRegistry.REFUSED_DIR + "/)");
        }
        return real;
      }
    }
    throw new IllegalArgumentException("the artifact path " + announced + (real.equals(announced) ? "" : " (really " + real + ")")
        + " is outside the artifact roots " + roots);
  }

  @Override
  public String toString() {
    return unrestricted ? "any directory" : roots.toString();
  }
}
