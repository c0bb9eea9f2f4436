package org.lmrec.artifact;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Version strings of the form {@code <kind>-<yyyyMMdd>T<HHmmss>Z[-n]}: sortable, readable, and safe as directory
 * names. The numeric suffix (2, 3, ...) only appears when two versions are made in the same second.
 */
public final class ModelVersions {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern VERSION = Pattern.compile("(.+-\\d{8}T\\d{6}Z)(?:-(\\d{1,9}))?");

  /**
   * Orders versions of this scheme by time, then by collision suffix numerically (so {@code -10} after {@code -9});
   * any other string is ordered by its text. Keys are compared as tuples, so the order is transitive.
   */
  public static final Comparator<String> ORDER =
      Comparator.comparing(ModelVersions::base)
          .thenComparingInt(ModelVersions::suffix)
          .thenComparing(Comparator.naturalOrder());

  private ModelVersions() {}

  /** The version for {@code modelKind} at {@code time}, truncated to the second, without a collision suffix. */
  public static String next(String modelKind, Instant time) {
    ArtifactLayout.requireName("model kind", modelKind);
    return modelKind + "-" + STAMP.format(time);
  }

  /** Like {@link #next(String, Instant)}, adding {@code -2}, {@code -3}, ... while {@code taken} says it exists. */
  public static String next(String modelKind, Instant time, Predicate<String> taken) {
    String base = next(modelKind, time);
    if (!taken.test(base)) return base;
    for (int n = 2; n < 1_000_000; n++) {
      String candidate = base + "-" + n;
      if (!taken.test(candidate)) return candidate;
    }
    throw new IllegalStateException("no free version for " + base + " after a million suffixes");
  }

  private static String base(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches() ? m.group(1) : version;
  }

  private static int suffix(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
  }
}
