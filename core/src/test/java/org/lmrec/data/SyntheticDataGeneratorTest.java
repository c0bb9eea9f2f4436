package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDataGeneratorTest {
  private static SyntheticData data;

  @BeforeAll
  static void generateDefaults() {
    data = new SyntheticDataGenerator(SyntheticConfig.defaults()).generate();
  }

  @Test
  void defaultsHaveTheConfiguredSize() {
    Dataset d = data.dataset();
    assertThat(d.name()).isEqualTo("synthetic");
    assertThat(d.numUsers()).isEqualTo(2000);
    assertThat(d.numItems()).isEqualTo(1000);
    assertThat(data.categoryNames()).hasSize(20).doesNotHaveDuplicates();
    double meanLength = d.numInteractions() / (double) d.numUsers();
    assertThat(meanLength).isBetween(27.0, 33.0);
    for (int u = 0; u < d.numUsers(); u++) {
      int[] s = d.sequence(u);
      assertThat(s.length).isGreaterThanOrEqualTo(5);
      assertThat(Arrays.stream(s).distinct().count()).as("no repeats").isEqualTo(s.length);
      long[] t = d.timestamps(u);
      for (int p = 1; p < t.length; p++) assertThat(t[p]).isGreaterThan(t[p - 1]);
    }
  }

  @Test
  void sameConfigGivesTheSameDatasetAndAnotherSeedDoesNot() {
    SyntheticConfig small = SyntheticConfig.defaults().withUsers(300).withItems(200);
    Dataset a = SyntheticDataGenerator.generateDataset(small);
    Dataset b = SyntheticDataGenerator.generateDataset(small);
    Dataset c = SyntheticDataGenerator.generateDataset(small.withSeed(7));

    assertThat(b.sequences()).isDeepEqualTo(a.sequences());
    for (int u = 0; u < a.numUsers(); u++) assertThat(b.timestamps(u)).isEqualTo(a.timestamps(u));
    assertThat(b.itemIds()).isEqualTo(a.itemIds());
    for (int i = 1; i <= a.numItems(); i++) assertThat(b.itemAttributes(i)).isEqualTo(a.itemAttributes(i));
    assertThat(c.sequences()).isNotEqualTo(a.sequences());
    assertThat(c.itemAttributes(1)).isNotEqualTo(a.itemAttributes(1));
  }

  @Test
  void popularityHasALongTail() {
    int[] counts = new int[data.dataset().numItems() + 1];
    for (int[] s : data.dataset().sequences()) for (int i : s) counts[i]++;
    int[] sorted = Arrays.stream(counts, 1, counts.length).sorted().toArray();
    long total = Arrays.stream(sorted).asLongStream().sum();
    long top10 = 0;
    for (int r = 0; r < sorted.length / 10; r++) top10 += sorted[sorted.length - 1 - r];

    // uniform popularity would give 10%
    assertThat(top10 / (double) total).isGreaterThan(0.35);
  }

  @Test
  void consecutiveItemsShareACategoryFarMoreOftenThanChance() {
    Dataset d = data.dataset();
    double[] share = new double[data.categoryNames().size()];
    long same = 0;
    long pairs = 0;
    for (int[] s : d.sequences()) {
      for (int p = 0; p < s.length; p++) {
        share[data.category(s[p])]++;
        if (p > 0) {
          pairs++;
          if (data.category(s[p]) == data.category(s[p - 1])) same++;
        }
      }
    }
    double chance = 0;
    for (double c : share) chance += Math.pow(c / d.numInteractions(), 2);

    assertThat(same / (double) pairs).isGreaterThan(0.5).isGreaterThan(4 * chance);
  }

  @Test
  void theLastItemPredictsTheNextBetterThanPopularity() {
    // HR@10 on each user's last item: global most popular vs most popular of the previous item's category
    Dataset d = data.dataset();
    int[] counts = new int[d.numItems() + 1];
    for (int[] s : d.sequences()) for (int p = 0; p < s.length - 1; p++) counts[s[p]]++;
    Integer[] byPopularity = IntStream.rangeClosed(1, d.numItems()).boxed().toArray(Integer[]::new);
    Arrays.sort(byPopularity, (x, y) -> counts[y] - counts[x]);
    int popularHits = 0;
    int categoryHits = 0;
    for (int[] s : d.sequences()) {
      Set<Integer> history = new HashSet<>();
      for (int p = 0; p < s.length - 1; p++) history.add(s[p]);
      int target = s[s.length - 1];
      int category = data.category(s[s.length - 2]);
      popularHits += hitInTop10(byPopularity, history, target, -1);
      categoryHits += hitInTop10(byPopularity, history, target, category);
    }
    assertThat(categoryHits).isGreaterThan(3 * popularHits);
  }

  private static int hitInTop10(Integer[] byPopularity, Set<Integer> history, int target, int category) {
    int shown = 0;
    for (int item : byPopularity) {
      if (history.contains(item) || (category >= 0 && data.category(item) != category)) continue;
      if (item == target) return 1;
      if (++shown == 10) return 0;
    }
    return 0;
  }

  @Test
  void tasteDriftsOverTime() {
    // share of second-half categories already seen in the first half: lower when tastes drift
    SyntheticConfig base = SyntheticConfig.defaults().withUsers(400).withSequenceLength(40, 20);
    SyntheticConfig still = new SyntheticConfig(base.name(), base.numUsers(), base.numItems(), base.numCategories(),
        base.meanSequenceLength(), base.minSequenceLength(), base.latentDim(), base.popularityExponent(),
        base.categoryStickiness(), base.tasteWeight(), base.sequentialWeight(), 0.0, 0.0, base.startEpochSeconds(), base.seed());

    assertThat(secondHalfCategoriesSeenBefore(base)).isLessThan(secondHalfCategoriesSeenBefore(still) - 0.1);
  }

  private static double secondHalfCategoriesSeenBefore(SyntheticConfig config) {
    SyntheticData sd = new SyntheticDataGenerator(config).generate();
    long seen = 0;
    long total = 0;
    for (int[] s : sd.dataset().sequences()) {
      Set<Integer> early = new HashSet<>();
      for (int p = 0; p < s.length / 2; p++) early.add(sd.category(s[p]));
      for (int p = s.length / 2; p < s.length; p++) {
        total++;
        if (early.contains(sd.category(s[p]))) seen++;
      }
    }
    return seen / (double) total;
  }

  @Test
  void itemTextRevealsTheCategory() {
    Dataset d = data.dataset();
    Map<String, Integer> brandCategory = new HashMap<>();
    Map<String, Integer> pathCategory = new HashMap<>();
    for (int i = 1; i <= d.numItems(); i++) {
      Map<String, String> a = d.itemAttributes(i);
      assertThat(a.keySet()).containsExactly("title", "brand", "categories", "description", "year");
      assertThat(d.itemText(i, 100)).startsWith("title is ").contains("; brand is ").contains("; categories is ");
      String path = a.get("categories").substring(0, a.get("categories").lastIndexOf(", "));
      Integer previous = brandCategory.putIfAbsent(a.get("brand"), data.category(i));
      assertThat(previous == null || previous == data.category(i)).as("brand %s in one category", a.get("brand")).isTrue();
      previous = pathCategory.putIfAbsent(path, data.category(i));
      assertThat(previous == null || previous == data.category(i)).as("path %s in one category", path).isTrue();
    }
    assertThat(pathCategory).hasSize(20);
  }

  @Test
  void moreCategoriesThanThemesStillHaveDistinctWords() {
    SyntheticData many = new SyntheticDataGenerator(SyntheticConfig.defaults().withUsers(50).withItems(600).withCategories(60)).generate();

    assertThat(many.categoryNames()).hasSize(60).doesNotHaveDuplicates().contains("Kids Hiking", "Travel Hiking");
    Map<String, Set<Integer>> categoriesOfPath = new HashMap<>();
    for (int i = 1; i <= many.dataset().numItems(); i++) {
      String c = many.dataset().itemAttributes(i).get("categories");
      categoriesOfPath.computeIfAbsent(c.substring(0, c.lastIndexOf(", ")), k -> new HashSet<>()).add(many.category(i));
    }
    assertThat(categoriesOfPath.values()).allSatisfy(s -> assertThat(s).hasSize(1));
  }

  @Test
  void writtenFilesLoadBackIdentically(@TempDir Path dir) {
    Dataset original = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(200).withItems(300).withName("synth-small"));

    Path inter = SyntheticDataGenerator.writeAsFiles(original, dir);
    Dataset loaded = DatasetLoader.load(dir);

    assertThat(inter.getFileName().toString()).isEqualTo("synth-small.inter");
    assertThat(Files.exists(dir.resolve("synth-small.item"))).isTrue();
    assertThat(loaded.name()).isEqualTo("synth-small");
    assertThat(loaded.userIds()).isEqualTo(original.userIds());
    assertThat(loaded.itemIds()).isEqualTo(original.itemIds());
    assertThat(loaded.sequences()).isDeepEqualTo(original.sequences());
    for (int u = 0; u < original.numUsers(); u++) assertThat(loaded.timestamps(u)).isEqualTo(original.timestamps(u));
    for (int i = 1; i <= original.numItems(); i++) {
      assertThat(List.copyOf(loaded.itemAttributes(i).entrySet())).isEqualTo(List.copyOf(original.itemAttributes(i).entrySet()));
    }
  }

  @Test
  void invalidConfigsAreRejected() {
    assertThatThrownBy(() -> SyntheticConfig.defaults().withItems(10).withCategories(20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numItems (10) must be at least numCategories (20)");
    assertThatThrownBy(() -> SyntheticConfig.defaults().withSequenceLength(3, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyntheticConfig.defaults().withCategoryStickiness(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
