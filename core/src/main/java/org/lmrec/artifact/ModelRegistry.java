package org.lmrec.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published model versions of one model line and which of them is serving. Published versions
 * live in the artifact store's root; models the quality gate refused are kept apart under
 * {@code refused/} for inspection and are never announced. {@code SERVING.json} names the version
 * last announced, and is replaced atomically after each announcement.
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  public static final String SERVING_FILE = "SERVING.json";
  public static final String REFUSED_DIR = "refused";

  /** What {@code SERVING.json} holds. */
  public record Serving(String version, String manifestSha256, String announcedAt) {}

  private final Path root;
  private final String modelKind;

  public ModelRegistry(Path root, String modelKind) {
    this.root = root;
    this.modelKind = modelKind;
  }

  public ArtifactStore published() {
    return new ArtifactStore(root);
  }

  public ArtifactStore refused() {
    return new ArtifactStore(root.resolve(REFUSED_DIR));
  }

  public String modelKind() {
    return modelKind;
  }

  /** The version last announced, when its artifact is still in the store. */
  public Optional<ModelArtifact> serving() {
    Path file = root.resolve(SERVING_FILE);
    if (!Files.isRegularFile(file)) return Optional.empty();
    Serving s;
    try {
      s = new ObjectMapper().readValue(file.toFile(), Serving.class);
    } catch (IOException e) {
      throw new ArtifactException(file, "unreadable serving pointer: " + e.getMessage(), e);
    }
    Optional<ModelArtifact> a = published().list(modelKind).stream().filter(m -> m.version().equals(s.version())).findFirst();
    if (a.isEmpty()) throw new ArtifactException(file, "names version " + s.version() + ", which is not in " + root);
    if (!a.get().manifestSha256().equals(s.manifestSha256())) {
      throw new ArtifactException(file, "version " + s.version() + " has changed since it was announced (manifest SHA-256 differs)");
    }
    return a;
  }

  /** Records {@code artifact} as serving (after its announcement went out). */
  public void markServing(ModelArtifact artifact, Instant announcedAt) {
    try {
      Files.createDirectories(root);
      Path tmp = Files.createTempFile(root, ".tmp-serving", ".json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(tmp.toFile(), new Serving(artifact.version(), artifact.manifestSha256(), announcedAt.toString()));
      Files.move(tmp, root.resolve(SERVING_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ArtifactException(root.resolve(SERVING_FILE), "cannot record the serving version: " + e, e);
    }
  }

  /**
   * Deletes all but the newest {@code keep} published versions of this line, never the serving
   * one, and all but the newest {@code keepRefused} refused ones. A version is first renamed to a
   * hidden name, so a reader never finds it half-deleted.
   *
   * @return the versions deleted
   */
  public List<String> prune(int keep, int keepRefused) {
    if (keep < 2) throw new IllegalArgumentException("keep at least 2 versions (the serving one and the one it replaced), got " + keep);
    String serving = serving().map(ModelArtifact::version).orElse(null);
    List<String> deleted = new ArrayList<>();
    deleted.addAll(pruneStore(published(), keep, serving));
    deleted.addAll(pruneStore(refused(), keepRefused, null));
    return deleted;
  }

  private List<String> pruneStore(ArtifactStore store, int keep, String serving) {
    List<ModelArtifact> all = store.list(modelKind);
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < all.size() - keep; i++) {
      ModelArtifact a = all.get(i);
      if (a.version().equals(serving)) continue;
      delete(a.dir());
      deleted.add(a.version());
      LOG.info("retention: deleted {} ({} newest kept{})", a.dir(), keep, serving == null ? "" : ", serving " + serving + " kept");
    }
    return deleted;
  }

  private static void delete(Path dir) {
    Path hidden = dir.resolveSibling(".deleting-" + dir.getFileName());
    try {
      Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
      try (Stream<Path> walk = Files.walk(hidden)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    } catch (IOException e) {
      throw new ArtifactException(dir, "cannot delete old version: " + e, e);
    }
  }
}
