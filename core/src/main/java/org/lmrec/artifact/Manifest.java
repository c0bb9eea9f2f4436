package org.lmrec.artifact;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The self-description of one model artifact ({@code manifest.json}). Readers ignore unknown fields so that newer
 * writers can add fields without breaking older serving jobs; {@link #formatVersion} changes only for breaking
 * layout changes.
 *
 * @param createdAt ISO-8601 UTC instant, e.g. {@code 2026-11-23T18:30:00Z}
 * @param config model hyper-parameters (d, blocks, heads, maxLen, numItems, ...); must contain numItems
 * @param tensors tensor name to its file, shape, dtype and checksum, in export order
 * @param files relative path to SHA-256 for every non-tensor file (items.tsv and attached extras)
 * @param parentVersion the version this model was warm-started from, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    int formatVersion,
    String modelKind,
    String version,
    String createdAt,
    Map<String, Object> config,
    Map<String, TensorEntry> tensors,
    Map<String, String> files,
    TrainingDataInfo trainingData,
    Map<String, Double> metrics,
    String parentVersion) {

  public Manifest {
    config = readOnlyCopy(config);
    tensors = readOnlyCopy(tensors);
    files = readOnlyCopy(files);
    metrics = metrics == null ? Map.of() : readOnlyCopy(metrics);
  }

  private static <V> Map<String, V> readOnlyCopy(Map<String, V> m) {
    // LinkedHashMap rather than Map.copyOf: keeps order (tensor export order) and tolerates null config values.
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  @JsonIgnore
  public Instant createdAtInstant() {
    return Instant.parse(createdAt);
  }

  /** {@code config.numItems} as an int; a clear error when it is absent or not a whole number. */
  @JsonIgnore
  public int numItems() {
    Object v = config == null ? null : config.get("numItems");
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long n = ((Number) v).longValue();
      if (n >= 0 && n <= Integer.MAX_VALUE) return (int) n;
    }
    throw new IllegalArgumentException("config.numItems must be a non-negative whole number, found: " + v);
  }
}
