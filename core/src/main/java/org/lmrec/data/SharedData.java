package org.lmrec.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the real public datasets that live beside the checkout in {@code ../shared/data}.
 *
 * <p>They may never be copied into the project, and a fresh clone does not have them, so every
 * caller must cope with {@link Optional#empty()} (tests skip, benchmarks skip that dataset).
 * Looked up in order: system property {@code lmrec.shared.data}, environment variable
 * {@code LMREC_SHARED_DATA}, then {@code shared/data} beside the working directory or any parent.
 */
public final class SharedData {
  public static final String PROPERTY = "lmrec.shared.data";
  public static final String ENV = "LMREC_SHARED_DATA";

  private SharedData() {}

  public static Optional<Path> root() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath().normalize();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  /** A sub-folder of the shared data (e.g. {@code "movielens-100k"}), when present. */
  public static Optional<Path> folder(String name) {
    return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
  }
}
