package org.lmrec.stream.scoring;

import org.lmrec.flink.storage.RemoteLocation;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lmrec.artifact.ModelRegistry;

/**
 * The directories the scorer may load announced artifacts from. Anyone who can write the
 * model-update topic chooses a URI; without this, any directory the task can read would be
 * served. A path resolves only when it is absolute, has no {@code ..} segment, and its real path
 * (symbolic links followed) lies strictly inside the real path of a root, and not in the
 * registry's {@code refused/} folder, where the quality gate keeps the models it refused.
 *
 * <p>Roots may also be object-store directories ({@code s3://BUCKET/PREFIX}, read through Flink's
 * file system): an announced {@code s3://} URI resolves only when it parses strictly
 * ({@link RemoteLocation}) and lies strictly below such a root, same scheme and bucket, and not in
 * the root's {@code refused/}. Local paths never match a remote root, nor the other way round.
 */
public final class ArtifactRoots implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Roots as configured (absolute, normalized); resolved to real paths at each check, so a root created later counts. */
  private final List<String> roots;
  private final List<RemoteLocation> remoteRoots;
  private final boolean unrestricted;

  private ArtifactRoots(List<String> roots, List<RemoteLocation> remoteRoots, boolean unrestricted) {
    this.roots = List.copyOf(roots);
    this.remoteRoots = List.copyOf(remoteRoots);
    this.unrestricted = unrestricted;
  }

  public static ArtifactRoots of(List<Path> roots) {
    return new ArtifactRoots(roots.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(), List.of(), false);
  }

  /**
   * Roots as configured ({@code lmrec.models.artifact-roots}): local paths or {@code file://} URIs,
   * and object-store directories such as {@code s3://BUCKET/PREFIX}.
   *
   * @throws IllegalArgumentException for a remote root that does not parse strictly
   */
  public static ArtifactRoots ofUris(List<String> configured) {
    List<String> local = new ArrayList<>();
    List<RemoteLocation> remote = new ArrayList<>();
    for (String r : configured) {
      if (RemoteLocation.isRemote(r)) {
        try {
          remote.add(RemoteLocation.parse(r));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("artifact root " + r + ": " + e.getMessage(), e);
        }
      } else {
        local.add(ModelLoader.toPath(r).toAbsolutePath().normalize().toString());
      }
    }
    return new ArtifactRoots(local, remote, false);
  }

  /** No restriction: for the offline replay and command-line tools, whose pointers the operator chose. */
  public static ArtifactRoots unrestricted() {
    return new ArtifactRoots(List.of(), List.of(), true);
  }

  /** Where an announced artifact is: a real local directory, or a remote directory. */
  public sealed interface Location permits Local, Remote {}

  public record Local(Path dir) implements Location {}

  public record Remote(RemoteLocation location) implements Location {}

  /**
   * The location of an announced URI (a path, {@code file://} or a remote URI such as {@code s3://}).
   *
   * @throws IllegalArgumentException saying why it may not be loaded
   */
  public Location resolve(String announcedUri) {
    if (announcedUri == null || !RemoteLocation.isRemote(announcedUri)) return new Local(check(ModelLoader.toPath(announcedUri)));
    RemoteLocation announced = RemoteLocation.parse(announcedUri);
    if (unrestricted) return new Remote(announced);
    if (remoteRoots.isEmpty()) {
      throw new IllegalArgumentException("the artifact " + announced + " is remote, and no remote artifact roots are configured (lmrec.models.artifact-roots)"
          + (roots.isEmpty() ? "" : "; local roots: " + roots));
    }
    for (RemoteLocation root : remoteRoots) {
      if (root.strictlyContains(announced)) {
        if (announced.segments().get(root.segments().size()).equals(ModelRegistry.REFUSED_DIR)) {
          throw new IllegalArgumentException("the artifact " + announced + " is one the quality gate refused (under " + ModelRegistry.REFUSED_DIR + "/)");
        }
        return new Remote(announced);
      }
    }
    throw new IllegalArgumentException("the artifact " + announced + " is outside the artifact roots " + this);
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
      if (!remoteRoots.isEmpty()) throw new IllegalArgumentException("the artifact path " + announced + " is local, and only remote artifact roots are configured: " + remoteRoots);
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
        + " is outside the artifact roots " + this);
  }

  @Override
  public String toString() {
    if (unrestricted) return "any directory";
    List<String> all = new ArrayList<>(roots);
    remoteRoots.forEach(r -> all.add(r.uri()));
    return all.toString();
  }
}
