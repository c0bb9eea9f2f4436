package org.lmrec.artifact;

import java.nio.file.Path;

/** A model artifact cannot be written or trusted; the message names the file and the problem. */
public class ArtifactException extends RuntimeException {
  private final transient Path file;

  public ArtifactException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public ArtifactException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file or directory the problem is about. */
  public Path file() {
    return file;
  }
}
