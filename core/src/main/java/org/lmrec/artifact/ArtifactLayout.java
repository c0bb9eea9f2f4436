package org.lmrec.artifact;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** File names inside {@code <root>/<version>/} and the checks that keep manifest paths inside that folder. */
public final class ArtifactLayout {
  public static final int FORMAT_VERSION = 1;
  public static final String MANIFEST = "manifest.json";
  public static final String ITEMS = "items.tsv";
  public static final String WEIGHTS_DIR = "weights";
  public static final String WEIGHT_SUFFIX = ".f32";
  public static final String DTYPE_FLOAT32 = "float32";

  /** Versions and model kinds become directory names, so they are restricted; a leading dot is kept for temp dirs. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

  private ArtifactLayout() {}

  public static String weightFile(String tensorName) {
    return WEIGHTS_DIR + "/" + tensorName + WEIGHT_SUFFIX;
  }

  static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' must match [A-Za-z0-9_][A-Za-z0-9_.-]* (it becomes a directory name)");
    }
  }

  /** Checks a '/'-separated relative path: no absolute paths, no '..', only simple segment names. */
  static void requireRelativePath(String what, String rel) {
    if (rel == null || rel.isEmpty()) throw new IllegalArgumentException(what + " path is empty");
    for (String segment : rel.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
          || !segment.matches("[A-Za-z0-9_.\\-]+")) {
        throw new IllegalArgumentException(
            what + " path '" + rel + "' must be relative, '/'-separated, segments [A-Za-z0-9_.-]+ without '.' or '..'");
      }
    }
  }

  /** Resolves a manifest-declared relative path, refusing anything that would leave the artifact directory. */
  static Path resolveInside(Path versionDir, String rel, Path manifestFile) {
    try {
      requireRelativePath("declared file", rel);
    } catch (IllegalArgumentException e) {
      throw new ArtifactException(manifestFile, e.getMessage());
    }
    Path resolved = versionDir.resolve(rel).normalize();
    if (!resolved.startsWith(versionDir.normalize())) {
      throw new ArtifactException(manifestFile, "declared file '" + rel + "' escapes the artifact directory");
    }
    return resolved;
  }
}
