package org.lmrec.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of every lmrec record, found by naming convention: the frozen copies
 * {@code org/lmrec/schema/history/NAME-vN.avsc} on the classpath (N = 1, 2, ... up to the first
 * missing number), then the current generated schema, which is the version whose fingerprint it
 * shares or, if it matches none, the next number. Releasing a version is adding the file
 * {@code NAME-v(N+1).avsc}; no code lists the versions. Decoders resolve any of these writers,
 * and a refusal names the version a foreign fingerprint belongs to.
 */
public final class ReleasedSchemas {
  /** Classpath folder of the frozen versions (inside the schemas jar). */
  public static final String FOLDER = "org/lmrec/schema/history/";

  /** One released version of one record. */
  public record Version(String type, int number, Schema schema, long fingerprint, boolean current) {
    /** E.g. {@code ModelUpdate v2}. */
    public String label() {
      return type + " v" + number;
    }
  }

  private static final class Holder {
    static final ReleasedSchemas CLASSPATH = load(Schemas.current(), name -> ReleasedSchemas.class.getClassLoader().getResourceAsStream(FOLDER + name));
  }

  private final Map<String, List<Version>> byType;
  private final Map<Long, Version> byFingerprint;

  private ReleasedSchemas(Map<String, List<Version>> byType) {
    this.byType = byType;
    Map<Long, Version> fingerprints = new LinkedHashMap<>();
    // Two versions that differ only in docs or defaults share a fingerprint; the first names it.
    byType.values().forEach(versions -> versions.forEach(v -> fingerprints.putIfAbsent(v.fingerprint(), v)));
    this.byFingerprint = fingerprints;
  }

  /** The catalogue shipped with this jar. */
  public static ReleasedSchemas get() {
    return Holder.CLASSPATH;
  }

  /**
   * The catalogue of {@code current} schemas and their frozen versions, opened by file name
   * ({@code NAME-vN.avsc}; null when absent). Public for tests that release a version in a folder.
   */
  public static ReleasedSchemas load(List<Schema> current, Function<String, InputStream> open) {
    Map<String, List<Version>> byType = new LinkedHashMap<>();
    for (Schema schema : current) {
      String type = schema.getName();
      List<Version> versions = new ArrayList<>();
      for (int n = 1; ; n++) {
        Schema frozen = parse(type + "-v" + n + ".avsc", open);
        if (frozen == null) break;
        if (!frozen.getFullName().equals(schema.getFullName())) {
          throw new IllegalStateException(type + "-v" + n + ".avsc holds " + frozen.getFullName() + ", not " + schema.getFullName());
        }
        versions.add(new Version(type, n, frozen, fingerprint(frozen), false));
      }
      long currentFingerprint = fingerprint(schema);
      int same = -1;
      for (int i = versions.size() - 1; i >= 0 && same < 0; i--) {
        if (versions.get(i).fingerprint() == currentFingerprint) same = i;
      }
      if (same >= 0) {
        Version v = versions.get(same);
        versions.set(same, new Version(type, v.number(), v.schema(), v.fingerprint(), true));
      } else {
        versions.add(new Version(type, versions.size() + 1, schema, currentFingerprint, true));
      }
      byType.put(type, List.copyOf(versions));
    }
    return new ReleasedSchemas(Collections.unmodifiableMap(byType));
  }

  /** CRC-64-AVRO of the schema's parsing canonical form: the fingerprint single-object encoding carries. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** A fingerprint as 16 hex digits, e.g. {@code 0x8a3f...}, as reasons and the docs print it. */
  public static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }

  /** Simple names of the record types, in the order of {@link Schemas#current()}. */
  public List<String> types() {
    return List.copyOf(byType.keySet());
  }

  /** Released versions of {@code type} (simple name), oldest first; the last one or an earlier one is current. */
  public List<Version> versionsOf(String type) {
    List<Version> versions = byType.get(type);
    if (versions == null) throw new IllegalArgumentException("no lmrec record named " + type);
    return versions;
  }

  /** The released version with this fingerprint, of whatever type. */
  public Optional<Version> byFingerprint(long fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /** A store that finds only the versions of {@code type}: a decoder never resolves another record. */
  public SchemaStore storeFor(String type) {
    List<Version> versions = versionsOf(type);
    return fingerprint -> versions.stream().filter(v -> v.fingerprint() == fingerprint).map(Version::schema).findFirst().orElse(null);
  }

  /** Each file gets its own parser: every version of a record shares its full name. */
  private static Schema parse(String fileName, Function<String, InputStream> open) {
    try (InputStream in = open.apply(fileName)) {
      return in == null ? null : new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read released schema " + fileName, e);
    }
  }
}
