package org.lmrec.stream.scoring;

import org.lmrec.schema.ModelUpdate;
import org.lmrec.flink.deadletter.Labels;
import org.lmrec.flink.deadletter.LogSafe;

/**
 * Shape checks of an announcement's text fields, before anything is looked up or logged: a version
 * or line is a {@link Labels label} of at most {@value #MAX_LABEL_CHARS} characters, a URI or hash
 * holds no control or bidirectional characters. A newline
 * in a line name once reached the scorer's log lines verbatim, so a topic writer could forge them.
 */
final class ModelUpdateChecks {
  static final int MAX_LABEL_CHARS = 256;
  static final int MAX_URI_CHARS = 4096;

  private ModelUpdateChecks() {}

  /** @return null when the fields are well-formed, else why not */
  static String problem(ModelUpdate u) {
    String p = label("modelVersion", u.getModelVersion(), false);
    if (p == null) p = label("modelLine", u.getModelLine(), true);
    if (p == null) p = text("artifactUri", u.getArtifactUri(), MAX_URI_CHARS);
    if (p == null) p = text("manifestSha256", u.getManifestSha256(), MAX_LABEL_CHARS);
    return p;
  }

  private static String label(String field, String value, boolean nullable) {
    if (value == null && nullable) return null;
    return Labels.problem(field, value, MAX_LABEL_CHARS);
  }

  private static String text(String field, String value, int maxChars) {
    if (value == null) return field + " is missing";
    if (value.length() > maxChars) return field + " has " + value.length() + " characters (limit " + maxChars + ")";
    if (LogSafe.needsEscape(value)) return field + " '" + LogSafe.text(value, 64) + "' contains a control or bidirectional character";
    return null;
  }
}
