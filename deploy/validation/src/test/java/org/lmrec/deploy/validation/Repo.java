package org.lmrec.deploy.validation;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository this module checks. */
final class Repo {
  private Repo() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("no repository root (with mvnw) above " + Path.of("").toAbsolutePath());
    return p;
  }

  static Path k8s() {
    return root().resolve("deploy/k8s");
  }
}
