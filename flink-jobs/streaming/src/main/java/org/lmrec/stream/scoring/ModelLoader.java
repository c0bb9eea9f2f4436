package org.lmrec.stream.scoring;

import java.net.URI;
import java.nio.file.Path;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.serving.ServingModel;

/**
 * Turns a pointer into a serving model, checking everything first: the manifest hash, every
 * file's SHA-256, the shapes, and that the artifact is the version the pointer names. Throws
 * {@link ModelRefusedException} with the reason otherwise; a pointer without a manifest hash is
 * refused.
 */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * @throws ModelRefusedException for any failure at all, an {@link Error} such as running out of
   *     memory on an oversized artifact included: the pointer is refused and the serving model
   *     stays, instead of a task failure whose restart would load the same pointer again
   */
  public static ServingModel load(ModelPointer pointer) {
    return load(pointer, ModelLimits.unrestricted());
  }

  /** As {@link #load(ModelPointer)}, within {@code limits}: from inside the roots, and no larger than the cap. */
  public static ServingModel load(ModelPointer pointer, ModelLimits limits) {
    try {
      if (pointer.manifestSha256 == null || pointer.manifestSha256.isBlank()) {
        // Without the hash nothing ties the files read to the model that was announced.
        throw new ModelRefusedException(pointer, "the announcement carries no manifest SHA-256", null);
      }
      Path dir = limits.roots().check(toPath(pointer.uri));
      limits.checkSize(dir);
      LoadedArtifact artifact = ArtifactReader.load(dir, pointer.manifestSha256);
      if (!artifact.version().equals(pointer.version)) {
        throw new ModelRefusedException(pointer, "the artifact's manifest says version " + artifact.version(), null);
      }
      return ServingModel.fromArtifact(artifact);
    } catch (ModelRefusedException e) {
      throw e;
    } catch (Throwable e) {
      throw new ModelRefusedException(pointer, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** A pointer to an artifact directory on this machine, with the SHA-256 of its manifest. */
  public static ModelPointer pointerTo(Path artifactDir) {
    ModelArtifact a = ArtifactReader.readManifest(artifactDir);
    return new ModelPointer(a.version(), artifactDir.toAbsolutePath().toUri().toString(), a.manifestSha256(), a.manifest().createdAtInstant().toEpochMilli());
  }

  static Path toPath(String uri) {
    if (uri == null || uri.isBlank()) throw new IllegalArgumentException("artifact URI is empty");
    if (uri.startsWith("file:")) return Path.of(URI.create(uri));
    if (uri.contains("://")) throw new IllegalArgumentException("unsupported artifact URI scheme in '" + uri + "' (file:// or a path)");
    return Path.of(uri);
  }

  /** Why a model was not swapped in; the old one keeps serving. */
  public static final class ModelRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelRefusedException(ModelPointer pointer, String reason, Throwable cause) {
      super("refused " + pointer + ": " + reason, cause);
    }
  }
}
