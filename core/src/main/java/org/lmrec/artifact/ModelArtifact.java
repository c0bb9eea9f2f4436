package org.lmrec.artifact;

import java.nio.file.Path;

/**
 * A handle on a complete artifact on disk: its directory, its manifest and the SHA-256 of the manifest bytes (what a
 * model-update announcement carries so that a reader can check it got exactly that artifact).
 */
public record ModelArtifact(Path dir, Manifest manifest, String manifestSha256) {

  public String version() {
    return manifest.version();
  }

  public String modelKind() {
    return manifest.modelKind();
  }

  /** Loads the weights, refusing if the manifest changed since this handle was made. */
  public LoadedArtifact load() {
    return ArtifactReader.load(dir, manifestSha256);
  }
}
