package org.lmrec.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * Loads and checks artifacts written by {@link ArtifactWriter} using only the JDK and Jackson (no DJL, no PyTorch),
 * so a serving operator can load them. Every problem is an {@link ArtifactException} naming the file.
 */
public final class ArtifactReader {
  private ArtifactReader() {}

  /** Loads and fully checks an artifact. */
  public static LoadedArtifact load(Path versionDir) {
    return check(versionDir, null, true);
  }

  /** Loads and fully checks an artifact, also requiring the manifest bytes to hash to the announced value. */
  public static LoadedArtifact load(Path versionDir, String expectedManifestSha256) {
    if (expectedManifestSha256 == null) throw new IllegalArgumentException("expectedManifestSha256 is null");
    return check(versionDir, expectedManifestSha256, true);
  }

  /** Runs every check of {@link #load(Path)} without keeping the weights in memory. */
  public static ModelArtifact verify(Path versionDir) {
    LoadedArtifact a = check(versionDir, null, false);
    return new ModelArtifact(a.dir(), a.manifest(), a.manifestSha256());
  }

  /** Reads and validates only the manifest (cheap: no data file is opened). */
  public static ModelArtifact readManifest(Path versionDir) {
    return readManifest(versionDir, null);
  }

  private static ModelArtifact readManifest(Path versionDir, String expectedSha) {
    if (!Files.isDirectory(versionDir)) {
      throw new ArtifactException(versionDir, "artifact directory does not exist");
    }
    Path manifestFile = versionDir.resolve(ArtifactLayout.MANIFEST);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(manifestFile);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(manifestFile, "missing manifest (not a complete artifact)");
    } catch (IOException e) {
      throw new ArtifactException(manifestFile, "cannot read manifest: " + e, e);
    }
    String sha = Sha256.hex(bytes);
    if (expectedSha != null && !sha.equalsIgnoreCase(expectedSha)) {
      throw new ArtifactException(manifestFile, "SHA-256 mismatch: expected " + expectedSha + ", actual " + sha);
    }
    Manifest manifest = ManifestJson.parse(bytes, manifestFile);
    validate(manifest, manifestFile);
    return new ModelArtifact(versionDir, manifest, sha);
  }

  private static LoadedArtifact check(Path versionDir, String expectedSha, boolean keepWeights) {
    ModelArtifact handle = readManifest(versionDir, expectedSha);
    Manifest manifest = handle.manifest();
    Path manifestFile = versionDir.resolve(ArtifactLayout.MANIFEST);

    Map<String, Path> extras = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : manifest.files().entrySet()) {
      Path file = ArtifactLayout.resolveInside(versionDir, f.getKey(), manifestFile);
      checkFileSha(file, f.getValue());
      if (!f.getKey().equals(ArtifactLayout.ITEMS)) extras.put(f.getKey(), file);
    }
    List<String> itemIds =
        ItemIdsFile.read(versionDir.resolve(ArtifactLayout.ITEMS), manifest.numItems());

    TensorMap weights = new TensorMap();
    for (Map.Entry<String, TensorEntry> t : manifest.tensors().entrySet()) {
      TensorEntry entry = t.getValue();
      Path file = ArtifactLayout.resolveInside(versionDir, entry.file(), manifestFile);
      float[] values = Float32Files.readChecked(file, t.getKey(), entry, keepWeights);
      if (keepWeights) weights.put(t.getKey(), new Tensor(values, entry.shape()));
    }
    return new LoadedArtifact(versionDir, manifest, handle.manifestSha256(),
        keepWeights ? weights : null, itemIds, Collections.unmodifiableMap(extras));
  }

  private static void checkFileSha(Path file, String expected) {
    if (!Files.isRegularFile(file)) throw new ArtifactException(file, "missing file declared in manifest.json");
    String actual;
    try {
      actual = Sha256.ofFile(file);
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read: " + e, e);
    }
    if (!actual.equalsIgnoreCase(expected)) {
      throw new ArtifactException(file, "SHA-256 mismatch: expected " + expected + ", actual " + actual);
    }
  }

  /** Structural checks that need no data file: format version, required fields, shapes and dtypes. */
  private static void validate(Manifest m, Path manifestFile) {
    if (m.formatVersion() != ArtifactLayout.FORMAT_VERSION) {
      throw new ArtifactException(manifestFile, "unsupported formatVersion " + m.formatVersion()
          + " (this reader supports " + ArtifactLayout.FORMAT_VERSION + ")");
    }
    require(m.modelKind(), "modelKind", manifestFile);
    require(m.version(), "version", manifestFile);
    require(m.createdAt(), "createdAt", manifestFile);
    require(m.config(), "config", manifestFile);
    require(m.tensors(), "tensors", manifestFile);
    require(m.files(), "files", manifestFile);
    try {
      Instant.parse(m.createdAt());
    } catch (DateTimeParseException e) {
      throw new ArtifactException(manifestFile, "createdAt '" + m.createdAt() + "' is not an ISO-8601 UTC instant");
    }
    try {
      m.numItems();
    } catch (IllegalArgumentException e) {
      throw new ArtifactException(manifestFile, e.getMessage());
    }
    if (!m.files().containsKey(ArtifactLayout.ITEMS)) {
      throw new ArtifactException(manifestFile, "files does not list " + ArtifactLayout.ITEMS);
    }
    for (Map.Entry<String, String> f : m.files().entrySet()) {
      if (f.getValue() == null) throw new ArtifactException(manifestFile, "file '" + f.getKey() + "' has no sha256");
    }
    for (Map.Entry<String, TensorEntry> t : m.tensors().entrySet()) {
      String name = t.getKey();
      TensorEntry e = t.getValue();
      if (e == null || e.file() == null || e.shape() == null || e.sha256() == null) {
        throw new ArtifactException(manifestFile, "tensor '" + name + "' needs file, shape, dtype and sha256");
      }
      if (!ArtifactLayout.DTYPE_FLOAT32.equals(e.dtype())) {
        throw new ArtifactException(manifestFile, "tensor '" + name + "' has unsupported dtype '" + e.dtype()
            + "' (only " + ArtifactLayout.DTYPE_FLOAT32 + ")");
      }
      for (int d : e.shape()) {
        if (d < 0) {
          throw new ArtifactException(manifestFile, "tensor '" + name + "' has negative dimension in shape "
              + Arrays.toString(e.shape()));
        }
      }
      if (!name.matches("[A-Za-z0-9_.\\-]+")) {
        throw new ArtifactException(manifestFile, "tensor name '" + name + "' must match [A-Za-z0-9_.-]+");
      }
      try {
        if (e.elementCount() > Integer.MAX_VALUE - 8) throw new ArithmeticException("too many elements");
      } catch (ArithmeticException ex) {
        throw new ArtifactException(manifestFile, "tensor '" + name + "' shape " + Arrays.toString(e.shape())
            + " has more elements than a Java array can hold");
      }
    }
  }

  private static void require(Object value, String field, Path manifestFile) {
    if (value == null) throw new ArtifactException(manifestFile, "missing required field '" + field + "'");
  }
}
