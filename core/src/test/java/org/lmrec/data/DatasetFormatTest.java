package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.data.DataFixtures.fixture;
import static org.lmrec.data.DataFixtures.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFormatTest {
  @TempDir Path tmp;

  @Test
  void detectsFolders() {
    assertThat(DatasetFormat.detect(fixture("ml100k"))).isEqualTo(DatasetFormat.MOVIELENS_100K);
    assertThat(DatasetFormat.detect(fixture("ml1m"))).isEqualTo(DatasetFormat.MOVIELENS_DAT);
    assertThat(DatasetFormat.detect(fixture("amazon"))).isEqualTo(DatasetFormat.AMAZON_JSON);
    assertThat(DatasetFormat.detect(fixture("recbole"))).isEqualTo(DatasetFormat.RECBOLE);
    assertThat(DatasetFormat.detect(fixture("sasrec"))).isEqualTo(DatasetFormat.SASREC_TXT);
  }

  @Test
  void detectsSingleFiles() {
    assertThat(DatasetFormat.detect(fixture("ml100k/u.data"))).isEqualTo(DatasetFormat.MOVIELENS_100K);
    assertThat(DatasetFormat.detect(fixture("ml1m/ratings.dat"))).isEqualTo(DatasetFormat.MOVIELENS_DAT);
    assertThat(DatasetFormat.detect(fixture("amazon/Tiny.inter.json"))).isEqualTo(DatasetFormat.AMAZON_JSON);
    assertThat(DatasetFormat.detect(fixture("recbole/tiny.inter"))).isEqualTo(DatasetFormat.RECBOLE);
    assertThat(DatasetFormat.detect(fixture("sasrec/tiny.txt"))).isEqualTo(DatasetFormat.SASREC_TXT);
  }

  @Test
  void loadWithDetectionGivesTheSameDatasetAsTheExplicitFormat() {
    Dataset detected = DatasetLoader.load(fixture("amazon"));
    Dataset explicit = DatasetLoader.load(fixture("amazon/Tiny.inter.json"), DatasetFormat.AMAZON_JSON);
    assertThat(detected.sequences()).isDeepEqualTo(explicit.sequences());
    assertThat(detected.itemIds()).isEqualTo(explicit.itemIds());
  }

  @Test
  void uDataWinsOverOtherFilesInTheFolder() {
    write(tmp, "u.data", "1\t2\t3\t4\n");
    write(tmp, "sasrec.txt", "1 2\n");
    assertThat(DatasetFormat.detect(tmp)).isEqualTo(DatasetFormat.MOVIELENS_100K);
  }

  @Test
  void unknownLayoutListsWhatWasFoundAndWhatIsSupported() {
    write(tmp, "notes.md", "hello");
    write(tmp, "users.csv", "a,b");

    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("unknown data layout; found notes.md, users.csv.")
        .hasMessageContaining("Supported: MOVIELENS_100K = folder with u.data")
        .hasMessageContaining("SASREC_TXT = ");

    Path odd = write(tmp, "ratings.csv", "1,2");
    assertThatThrownBy(() -> DatasetFormat.detect(odd)).hasMessageStartingWith("ratings.csv: unknown data file type. Supported:");
  }

  @Test
  void moviesDatWithoutRatingsGetsAHint() {
    write(tmp, "movies.dat", "1::Toy Story (1995)::Animation\n");
    assertThatThrownBy(() -> DatasetLoader.load(tmp))
        .hasMessageContaining("found movies.dat.")
        .hasMessageContaining("ratings.dat is missing")
        .hasMessageContaining("MovieLensDatLoader.readMovies");
  }

  @Test
  void severalCandidatesAreAmbiguous() {
    write(tmp, "a.inter", "user_id:token\titem_id:token\nu\ti\n");
    write(tmp, "b.inter", "user_id:token\titem_id:token\nu\ti\n");
    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .hasMessageEndingWith("ambiguous folder: several *.inter files [a.inter, b.inter]; pass one of them as the path");
  }

  @Test
  void missingPathIsNamed() {
    assertThatThrownBy(() -> DatasetLoader.load(tmp.resolve("nope")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("nope: no such file or folder");
  }
}
