package org.lmrec.stream.scoring;

import org.lmrec.flink.storage.RemoteLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.flink.storage.StorageFiles;
import org.lmrec.serving.ServingModel;

/**
 * Turns a pointer into a serving model, checking everything first: the manifest hash, every
 * file's SHA-256, the shapes, and that the artifact is the version the pointer names. Throws
 * {@link ModelRefusedException} with the reason otherwise; a pointer without a manifest hash is
 * refused.
 *
 * <p>A remote artifact ({@code s3://...}, through Flink's file system) is listed first and refused
 * when its files add up to more than the cap, before any byte is read; otherwise it is copied to a
 * temporary local directory, verified there exactly as a local one, and the copy is deleted.
 */
public final class ModelLoader {
  /** Files a remote artifact may hold (a model has a few dozen): a prefix of countless objects is refused while listing. */
  public static final int MAX_REMOTE_FILES = 10_000;

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
    return load(pointer, limits, ServingModel::fromArtifact);
  }

  /**
   * As {@link #load(ModelPointer, ModelLimits)}, turning the checked artifact into {@code T} with
   * {@code read} while its files are still there (a remote artifact's copy is deleted after).
   */
  public static <T> T load(ModelPointer pointer, ModelLimits limits, java.util.function.Function<LoadedArtifact, T> read) {
    try {
      if (pointer.manifestSha256 == null || pointer.manifestSha256.isBlank()) {
        // Without the hash nothing ties the files read to the model that was announced.
        throw new ModelRefusedException(pointer, "the announcement carries no manifest SHA-256", null);
      }
      ArtifactRoots.Location location = limits.roots().resolve(pointer.uri);
      if (location instanceof ArtifactRoots.Local local) {
        limits.checkSize(local.dir());
        return checked(ArtifactReader.load(local.dir(), pointer.manifestSha256), pointer, read);
      }
      return loadRemote(((ArtifactRoots.Remote) location).location(), pointer, limits.maxArtifactBytes(), read);
    } catch (ModelRefusedException e) {
      throw e;
    } catch (Throwable e) {
      throw new ModelRefusedException(pointer, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static <T> T checked(LoadedArtifact artifact, ModelPointer pointer, java.util.function.Function<LoadedArtifact, T> read) {
    if (!artifact.version().equals(pointer.version)) {
      throw new ModelRefusedException(pointer, "the artifact's manifest says version " + artifact.version(), null);
    }
    return read.apply(artifact);
  }

  private static <T> T loadRemote(RemoteLocation location, ModelPointer pointer, long maxBytes, java.util.function.Function<LoadedArtifact, T> read)
      throws IOException {
    org.apache.flink.core.fs.Path dir = new org.apache.flink.core.fs.Path(location.uri());
    List<StorageFiles.Entry> files;
    try {
      files = StorageFiles.list(dir, maxBytes, MAX_REMOTE_FILES);
    } catch (StorageFiles.TooLargeException e) {
      throw new ModelRefusedException(pointer, e.tooManyFiles()
          ? "the artifact at " + location + " holds more than " + MAX_REMOTE_FILES + " files"
          : "the artifact at " + location + " holds more than " + maxBytes + " bytes, the cap (lmrec.models.max-artifact-bytes)", null);
    }
    if (files.isEmpty()) throw new ModelRefusedException(pointer, "there is no artifact at " + location, null);
    Path copy = Files.createTempDirectory("lmrec-model-");
    try {
      StorageFiles.download(files, copy);
      return checked(ArtifactReader.load(copy, pointer.manifestSha256), pointer, read);
    } finally {
      StorageFiles.deleteLocal(copy);
    }
  }

  /** A pointer to an artifact directory on this machine, with the SHA-256 of its manifest. */
  public static ModelPointer pointerTo(Path artifactDir) {
    ModelArtifact a = ArtifactReader.readManifest(artifactDir);
    return new ModelPointer(a.version(), artifactDir.toAbsolutePath().toUri().toString(), a.manifestSha256(), a.manifest().createdAtInstant().toEpochMilli());
  }

  /**
   * A pointer to the artifact at {@code uri} (a path, {@code file://} or a remote URI such as
   * {@code s3://}), with the SHA-256 of its manifest; a remote one is copied to a temporary
   * directory to be read, then the copy is deleted.
   */
  public static ModelPointer pointerTo(String uri) {
    if (!RemoteLocation.isRemote(uri)) return pointerTo(toPath(uri));
    RemoteLocation location = RemoteLocation.parse(uri);
    Path copy = null;
    try {
      List<StorageFiles.Entry> files = StorageFiles.list(new org.apache.flink.core.fs.Path(location.uri()), Long.MAX_VALUE);
      if (files.isEmpty()) throw new IllegalArgumentException("there is no artifact at " + location);
      copy = Files.createTempDirectory("lmrec-model-");
      StorageFiles.download(files, copy);
      ModelArtifact a = ArtifactReader.readManifest(copy);
      return new ModelPointer(a.version(), location.uri(), a.manifestSha256(), a.manifest().createdAtInstant().toEpochMilli());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the artifact at " + location + ": " + e.getMessage(), e);
    } finally {
      StorageFiles.deleteLocal(copy);
    }
  }

  /** A local path from a path or a {@code file:} URI; refuses any other scheme. */
  public static Path toPath(String uri) {
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
