package org.lmrec.stream.local;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tells when the version serving the recommendations changes: a retrained model swapped in. It
 * starts counting once the demo's own model is seen serving, because the compacted model-update
 * topic can still hold a newer announcement from an earlier run, which the job serves for its first
 * moments; and a version seen once never counts again, so stragglers of an old version do not.
 */
final class SwapWatch {
  private final String own;
  private final Set<String> seen = new HashSet<>();
  private boolean started;
  private String serving;

  SwapWatch(String ownVersion) {
    this.own = ownVersion;
  }

  /** The version that took over with this recommendation, if it is a swap. */
  Optional<String> observe(String version) {
    boolean first = seen.add(version);
    if (!started) {
      if (!version.equals(own)) return Optional.empty();
      started = true;
      serving = own;
      return Optional.empty();
    }
    if (!first) return Optional.empty();
    String previous = serving;
    serving = version;
    return Optional.of(previous);
  }

  /** The version serving now, as far as the recommendations tell (null before the demo's own). */
  String serving() {
    return serving;
  }
}
