package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.data.DataFixtures.copyFixture;
import static org.lmrec.data.DataFixtures.fixture;
import static org.lmrec.data.DataFixtures.sequencesById;
import static org.lmrec.data.DataFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensLoadersTest {
  @TempDir Path tmp;

  @Test
  void movieLens100kSequencesAreChronologicalAndItemsFollowUItemOrder() {
    Dataset d = MovieLens100kLoader.load(fixture("ml100k"));

    assertThat(d.name()).isEqualTo("ml100k");
    assertThat(d.userIds()).containsExactly("3", "1", "2");
    assertThat(d.itemIds()).containsExactly(null, "10", "20", "30", "40");
    assertThat(sequencesById(d)).containsExactly("3 -> [20, 10]", "1 -> [10, 20]", "2 -> [30]");
    assertThat(d.sequence(0)).containsExactly(2, 1);
    assertThat(d.timestamps(0)).containsExactly(100L, 300L);
    assertThat(d.timestamps(1)).containsExactly(100L, 200L);
    assertThat(d.numInteractions()).isEqualTo(5);
  }

  @Test
  void movieLens100kItemAttributesSplitTitleYearAndGenres() {
    Dataset d = MovieLens100kLoader.load(fixture("ml100k"));

    assertThat(d.itemAttributes(1)).containsExactly(
        Map.entry("title", "Toy Story"), Map.entry("genres", "Animation, Children's, Comedy"), Map.entry("year", "1995"));
    assertThat(d.itemText(1, 100)).isEqualTo("title is Toy Story; genres is Animation, Children's, Comedy; year is 1995");
    assertThat(d.itemText(2, 100)).isEqualTo("title is Se7en; genres is Crime, Thriller; year is 1995");
    assertThat(d.itemText(3, 100)).isEqualTo("title is unknown; genres is unknown");
    // ISO-8859-1 byte 0xE9, and the year taken from the release date when the title has none
    assertThat(d.itemText(4, 100)).isEqualTo("title is Caf\u00e9 Society; genres is Drama; year is 2016");
  }

  @Test
  void movieLens100kUsesStandardGenreNamesWithoutUGenre() throws IOException {
    Path dir = copyFixture("ml100k", tmp);
    Files.delete(dir.resolve("u.genre"));

    Dataset d = DatasetLoader.load(dir.resolve("u.data"), DatasetFormat.MOVIELENS_100K);

    assertThat(d.itemText(1, 100)).isEqualTo("title is Toy Story; genres is Animation, Children's, Comedy; year is 1995");
  }

  @Test
  void movieLens100kGenreNamesComeFromUGenre() throws IOException {
    Path dir = copyFixture("ml100k", tmp);
    String renamed = Files.readString(dir.resolve("u.genre")).replace("Thriller|16", "Suspense|16");
    Files.writeString(dir.resolve("u.genre"), renamed);

    assertThat(MovieLens100kLoader.load(dir).itemAttributes(2)).containsEntry("genres", "Crime, Suspense");
  }

  @Test
  void movieLens100kWithoutUItemHasNoAttributes() throws IOException {
    Path dir = copyFixture("ml100k", tmp);
    Files.delete(dir.resolve("u.item"));

    Dataset d = MovieLens100kLoader.load(dir);

    assertThat(d.itemIds()).containsExactly(null, "10", "20", "30");
    assertThat(d.itemAttributes(1)).isEmpty();
  }

  @Test
  void uDataWithMissingFieldNamesFileLineAndReason() {
    Path dir = tmp.resolve("ml");
    write(dir, "u.data", "1\t2\t3\t100\n1\t2\t3\n");

    assertThatThrownBy(() -> MovieLens100kLoader.load(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("u.data line 2: expected 4 tab-separated fields, found 3")
        .satisfies(e -> {
          DataFormatException dfe = (DataFormatException) e;
          assertThat(dfe.line()).isEqualTo(2);
          assertThat(dfe.file().getFileName().toString()).isEqualTo("u.data");
          assertThat(dfe.reason()).isEqualTo("expected 4 tab-separated fields, found 3");
        });
  }

  @Test
  void uDataWithNonNumericValuesIsRejected() {
    Path dir = tmp.resolve("ml");
    write(dir, "u.data", "x7\t2\t3\t100\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.data line 1: user id 'x7' is not an integer");

    write(dir, "u.data", "1\t2\t3\t100\n1\t3\t4\tyesterday\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.data line 2: timestamp 'yesterday' is not an integer");

    write(dir, "u.data", "1\t2\tgood\t100\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.data line 1: rating 'good' is not a number");
  }

  @Test
  void emptyAndGappyFilesAreRejected() {
    Path dir = tmp.resolve("ml");
    write(dir, "u.data", "");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.data: file is empty");

    write(dir, "u.data", "1\t2\t3\t100\n\n1\t3\t3\t101\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir))
        .hasMessageStartingWith("u.data line 2: blank line inside the data");

    // trailing blank lines are fine
    write(dir, "u.data", "1\t2\t3\t100\n\n\n");
    assertThat(MovieLens100kLoader.load(dir).numInteractions()).isEqualTo(1);
  }

  @Test
  void missingUDataIsNamed() {
    Path dir = tmp.resolve("nothing");
    write(dir, "u.item", "1|A (1990)|||" + "|0".repeat(19) + "\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessageStartingWith("u.data: file not found");
  }

  @Test
  void uItemErrorsNameTheLine() throws IOException {
    Path dir = copyFixture("ml100k", tmp);
    String items = Files.readString(dir.resolve("u.item"), java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.writeString(dir.resolve("u.item"), items.replace("|Se7en (1995)|01-Jan-1995||", "|Se7en (1995)|01-Jan-1995|"),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.item line 2: expected 24 '|'-separated fields, found 23");

    Files.writeString(dir.resolve("u.item"), items.replace("|0|0|0|1|1|1|", "|0|0|0|1|2|1|"),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir))
        .hasMessage("u.item line 1: genre flag for 'Children's' is '2', expected 0 or 1");

    Files.writeString(dir.resolve("u.item"), items + items.lines().findFirst().orElseThrow() + "\n",
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.item line 5: item id 10 appears again (first on line 1)");
  }

  @Test
  void uGenreOutOfOrderIsRejected() {
    Path dir = copyFixture("ml100k", tmp);
    write(dir, "u.genre", "unknown|0\nAction|2\n");
    assertThatThrownBy(() -> MovieLens100kLoader.load(dir)).hasMessage("u.genre line 2: genre index 2 out of order, expected 1");
  }

  @Test
  void movieLensDatLoadsRatingsAndMovies() {
    Dataset d = DatasetLoader.load(fixture("ml1m"), DatasetFormat.MOVIELENS_DAT);

    assertThat(d.itemIds()).containsExactly(null, "1", "2", "3");
    assertThat(sequencesById(d)).containsExactly("5 -> [2, 1]", "6 -> [2]");
    assertThat(d.timestamps(0)).containsExactly(978300700L, 978300760L);
    assertThat(d.itemText(2, 100)).isEqualTo("title is American President, The; genres is Comedy, Drama, Romance; year is 1995");
    assertThat(d.distinctUsersPerItem()).containsExactly(0, 1, 2, 0);
  }

  @Test
  void moviesDatAloneGivesItemAttributes() {
    Map<String, Map<String, String>> movies = MovieLensDatLoader.readMovies(fixture("ml1m/movies.dat"));

    assertThat(movies.keySet()).containsExactly("1", "2", "3");
    assertThat(movies.get("3")).containsExactly(
        Map.entry("title", "Heat"), Map.entry("genres", "Action, Crime, Thriller"), Map.entry("year", "1995"));
  }

  @Test
  void datErrorsNameFileLineAndReason() {
    Path dir = tmp.resolve("dat");
    write(dir, "ratings.dat", "1::2::5::978300760\n1::3::5\n");
    assertThatThrownBy(() -> MovieLensDatLoader.load(dir)).hasMessage("ratings.dat line 2: expected 4 '::'-separated fields, found 3");

    write(dir, "ratings.dat", "1::2::5::978300760\n");
    write(dir, "movies.dat", "1::Toy Story (1995)::Animation\nx::Heat (1995)::Action\n");
    assertThatThrownBy(() -> MovieLensDatLoader.load(dir)).hasMessage("movies.dat line 2: movie id 'x' is not an integer");

    write(dir, "movies.dat", "1::Toy Story (1995)\n");
    assertThatThrownBy(() -> MovieLensDatLoader.load(dir)).hasMessage("movies.dat line 1: expected 3 '::'-separated fields, found 2");
  }
}
