package org.lmrec.stream.scoring;

import java.util.Objects;
import org.lmrec.flink.deadletter.LogSafe;
import org.lmrec.schema.ModelUpdate;

/**
 * What is broadcast to the scorers when a model is announced: where the artifact is and the
 * SHA-256 of its manifest, never the weights. A Flink POJO; also kept in operator state so a
 * restored job serves the model it served before.
 */
public class ModelPointer implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public String version;
  public String uri;
  public String manifestSha256;
  /** When the announcement was made (epoch ms); the newest pointer wins on restore. */
  public long announcedAt;
  /** The model line (see {@code ModelUpdate.modelLine}); null is the default line. Added after v1: older snapshots restore it as null. */
  public String line;

  public ModelPointer() {}

  public ModelPointer(String version, String uri, String manifestSha256, long announcedAt) {
    this.version = version;
    this.uri = uri;
    this.manifestSha256 = manifestSha256;
    this.announcedAt = announcedAt;
  }

  public ModelPointer(String version, String uri, String manifestSha256, long announcedAt, String line) {
    this(version, uri, manifestSha256, announcedAt);
    this.line = line;
  }

  public static ModelPointer of(ModelUpdate update) {
    return new ModelPointer(update.getModelVersion(), update.getArtifactUri(), update.getManifestSha256(), update.getCreatedAt().toEpochMilli(),
        update.getModelLine());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelPointer p && Objects.equals(version, p.version) && Objects.equals(uri, p.uri)
        && Objects.equals(manifestSha256, p.manifestSha256) && announcedAt == p.announcedAt && Objects.equals(line, p.line);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, uri, manifestSha256, announcedAt, line);
  }

  @Override
  public String toString() {
    // Fields come from the model-update topic and end up in log lines and reasons.
    return "model " + LogSafe.text(version) + (line == null ? "" : " of line " + LogSafe.text(line)) + " at " + LogSafe.text(uri)
        + " (manifest sha256 " + LogSafe.text(manifestSha256) + ")";
  }
}
