package org.lmrec.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of artifact versions ({@code <root>/<version>/}). Hidden entries (the writer's {@code .tmp-*} dirs) and
 * directories without a manifest are not artifacts: the writer renames complete artifacts into place, so a
 * directory without manifest.json was made by something else or by hand.
 */
public final class ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);

  /** Oldest first: by creation time, then by version order for versions made at the same instant. */
  private static final Comparator<ModelArtifact> AGE =
      Comparator.comparing((ModelArtifact a) -> a.manifest().createdAtInstant())
          .thenComparing(ModelArtifact::version, ModelVersions.ORDER);

  private final Path root;

  public ArtifactStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path dir(String version) {
    ArtifactLayout.requireName("version", version);
    return root.resolve(version);
  }

  /** A fresh version string for {@code modelKind} at {@code time}, suffixed if that second is already taken here. */
  public String nextVersion(String modelKind, Instant time) {
    return ModelVersions.next(modelKind, time, v -> Files.exists(root.resolve(v)));
  }

  /** Starts writing a new version into this store. */
  public ArtifactWriter writer(String version, String modelKind) {
    return ArtifactWriter.builder(root, version, modelKind);
  }

  /**
   * The complete artifacts of {@code modelKind}, oldest first. Only manifests are read (data files are checked when
   * loading). A manifest that is unreadable, invalid, or whose version differs from its directory name is an error,
   * not a skip: it means the store is damaged.
   */
  public List<ModelArtifact> list(String modelKind) {
    if (!Files.isDirectory(root)) return List.of();
    List<ModelArtifact> found = new ArrayList<>();
    List<Path> dirs;
    try (Stream<Path> children = Files.list(root)) {
      dirs = children.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new ArtifactException(root, "cannot list artifact store: " + e, e);
    }
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      if (name.startsWith(".")) continue;
      if (!Files.exists(dir.resolve(ArtifactLayout.MANIFEST))) {
        LOG.info("ignoring {}: no {} (not a complete artifact)", dir, ArtifactLayout.MANIFEST);
        continue;
      }
      ModelArtifact a = ArtifactReader.readManifest(dir);
      if (!a.version().equals(name)) {
        throw new ArtifactException(dir.resolve(ArtifactLayout.MANIFEST),
            "manifest version '" + a.version() + "' does not match its directory name '" + name + "'");
      }
      if (a.modelKind().equals(modelKind)) found.add(a);
    }
    found.sort(AGE);
    return found;
  }

  /** The newest complete artifact of {@code modelKind}, if any. */
  public Optional<ModelArtifact> latest(String modelKind) {
    List<ModelArtifact> all = list(modelKind);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
