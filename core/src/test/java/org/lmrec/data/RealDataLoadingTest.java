package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Loads the real datasets beside the checkout (skipped when ../shared/data is absent) and checks the README counts. */
class RealDataLoadingTest {
  private static Dataset movieLens100k; // loaded once: two tests compare against it

  private static Dataset movieLens100k() {
    if (movieLens100k == null) movieLens100k = DatasetLoader.load(folder("movielens-100k"));
    return movieLens100k;
  }

  private static Path folder(String name) {
    Assumptions.assumeTrue(SharedData.folder(name).isPresent(), "shared data folder " + name + " not present");
    return SharedData.folder(name).orElseThrow();
  }

  private static void assertCounts(Dataset d, int users, int items, long interactions) {
    assertThat(d.numUsers()).as("users of %s", d.name()).isEqualTo(users);
    assertThat(d.numItems()).as("items of %s", d.name()).isEqualTo(items);
    assertThat(d.numInteractions()).as("interactions of %s", d.name()).isEqualTo(interactions);
  }

  @Test
  void movieLens100kOriginalFiles() {
    Path dir = folder("movielens-100k");
    assertThat(DatasetFormat.detect(dir)).isEqualTo(DatasetFormat.MOVIELENS_100K);

    Dataset d = movieLens100k();

    assertCounts(d, 943, 1682, 100_000);
    assertThat(d.itemId(1)).isEqualTo("1");
    assertThat(d.itemText(1, 100)).isEqualTo("title is Toy Story; genres is Animation, Children's, Comedy; year is 1995");
    assertThat(d.userId(0)).isEqualTo("196");
    for (int u = 0; u < d.numUsers(); u++) {
      long[] t = d.timestamps(u);
      for (int p = 1; p < t.length; p++) assertThat(t[p]).isGreaterThanOrEqualTo(t[p - 1]);
    }
    Dataset core = KCoreFilter.apply(d, 5);
    assertThat(core.numUsers()).isEqualTo(943); // every ML-100K user has at least 20 ratings
    assertThat(core.numItems()).isLessThan(1682);
  }

  @Test
  void movieLens100kRecBoleFilesGiveTheSameSequences() {
    Path dir = folder("movielens-100k");
    Dataset recbole = DatasetLoader.load(dir.resolve("recbole/ml-100k.inter"));
    Dataset original = movieLens100k();

    assertCounts(recbole, 943, 1682, 100_000);
    assertThat(recbole.itemText(1, 100)).isEqualTo("title is Toy Story; year is 1995; genres is Animation, Children's, Comedy");
    assertThat(recbole.itemIds()).isEqualTo(original.itemIds());
    assertThat(recbole.sequences()).isDeepEqualTo(original.sequences());
  }

  @Test
  void movieLens100kSasRecText() {
    Dataset d = DatasetLoader.load(folder("movielens-100k").resolve("sasrec_ml-100k.txt"));
    assertCounts(d, 943, 1682, 100_000);
    assertThat(d.hasTimestamps()).isFalse();
  }

  @Test
  void movieLens1mMoviesAloneAsAttributes() {
    Path dir = folder("movielens-1m");

    Map<String, Map<String, String>> movies = MovieLensDatLoader.readMovies(dir.resolve("movies.dat"));
    assertThat(movies).hasSize(3883);
    assertThat(ItemText.of(movies.get("1"), 100)).isEqualTo("title is Toy Story; genres is Animation, Children's, Comedy; year is 1995");

    Map<String, Map<String, String>> llmrank = RecBoleLoader.readItems(dir.resolve("llmrank-ml-1m.item"));
    assertThat(llmrank).hasSize(3883);
    assertThat(ItemText.of(llmrank.get("2"), 100)).isEqualTo("title is Jumanji; year is 1995; genres is Adventure, Children's, Fantasy");

    assertThatThrownBy(() -> DatasetLoader.load(dir)).isInstanceOf(DataFormatException.class).hasMessageContaining("ratings.dat is missing");
  }

  @Test
  void amazonOffice() {
    Dataset d = DatasetLoader.load(folder("amazon-office"));

    assertCounts(d, 4905, 2420, 53_258);
    assertThat(d.itemText(1, 100))
        .isEqualTo("title is VTECH CS6114 DECT 6.0 Cordless Phone, White/Grey, 1 Handset; brand is VTech; "
            + "categories is Office Electronics, Telephones & Accessories, Cordless Telephones");
    assertThat(d.itemAttributes(3).get("title")).startsWith("AT&T 210 Corded Phone");
    long titled = java.util.stream.IntStream.rangeClosed(1, d.numItems()).filter(i -> d.itemAttributes(i).containsKey("title")).count();
    assertThat(titled).isEqualTo(2417); // three items have an empty title in the source
  }

  @Test
  void amazonBeautyIdsOnly() {
    Dataset d = DatasetLoader.load(folder("amazon-beauty"));
    assertCounts(d, 22_363, 12_101, 198_502);
    assertThat(d.itemAttributes(1)).isEmpty();
  }

  @Test
  void amazonGamesLlmRankFiles() {
    Path dir = folder("amazon-games");

    Dataset d = DatasetLoader.load(dir.resolve("Games-6k.test.inter"));

    assertCounts(d, 50_546, 16_859, 440_264);
    assertThat(d.itemText(1, 100)).isEqualTo("title is Fire Emblem: The Sacred Stones");
    assertThat(d.sequence(0)).hasSize(15); // 14 history items + the target
    assertThatThrownBy(() -> DatasetFormat.detect(dir)).hasMessageContaining("several *.inter files");
  }

  @Test
  void sasRecVideo() {
    Dataset d = DatasetLoader.load(folder("sasrec-video"));
    assertCounts(d, 31_013, 23_715, 287_107);
  }

  @Test
  void yelpItemFileReadsAsAttributes() {
    Map<String, Map<String, String>> items = AmazonJsonLoader.readItems(folder("yelp").resolve("Yelp.item.json"));
    assertThat(items).hasSize(20_033);
    assertThat(ItemText.of(items.get("0"), 100)).isEqualTo("title is The Great Greek; description is Diners, Greek, Mediterranean, Restaurants");
  }
}
