package org.lmrec.artifact;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lmrec.tensor.TensorMap;

/**
 * A fully checked artifact in memory.
 *
 * @param itemIds external item ids by model index; entry 0 is null (padding)
 * @param extraFiles attached files (everything in {@code files} except items.tsv) by relative path, resolved on disk
 * @param manifestSha256 hex SHA-256 of the manifest.json bytes
 */
public record LoadedArtifact(
    Path dir,
    Manifest manifest,
    String manifestSha256,
    TensorMap weights,
    List<String> itemIds,
    Map<String, Path> extraFiles) {

  public String version() {
    return manifest.version();
  }

  public int numItems() {
    return itemIds.size() - 1;
  }

  /** The path of an attached file; a clear error when the artifact has none by that name. */
  public Path extraFile(String relativePath) {
    Path p = extraFiles.get(relativePath);
    if (p == null) {
      throw new IllegalArgumentException(
          "artifact " + dir + " has no attached file '" + relativePath + "'; present: " + extraFiles.keySet());
    }
    return p;
  }
}
