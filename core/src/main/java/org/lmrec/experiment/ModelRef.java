package org.lmrec.experiment;

/**
 * The model an arm serves: either one pinned version (e.g. {@code sasrec-20261123T225452Z}) or a
 * model line, a named stream of versions (e.g. {@code main}, {@code candidate-b}) whose newest
 * published version serves. JSON: {@code {"version": "v3"}} or {@code {"line": "main"}}.
 */
public record ModelRef(Kind kind, String name) {
  public enum Kind {
    VERSION,
    LINE
  }

  public ModelRef {
    if (kind == null) throw new ExperimentConfigException(null, "model", "needs a kind (version or line)");
    if (name == null || name.isBlank()) {
      throw new ExperimentConfigException(null, "model." + kind.name().toLowerCase(java.util.Locale.ROOT), "must be a non-blank name, got " + quoted(name));
    }
  }

  public static ModelRef version(String version) {
    return new ModelRef(Kind.VERSION, version);
  }

  public static ModelRef line(String line) {
    return new ModelRef(Kind.LINE, line);
  }

  public boolean isLine() {
    return kind == Kind.LINE;
  }

  /** {@code line:main} or {@code version:v3}. */
  @Override
  public String toString() {
    return (isLine() ? "line:" : "version:") + name;
  }

  static String quoted(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
