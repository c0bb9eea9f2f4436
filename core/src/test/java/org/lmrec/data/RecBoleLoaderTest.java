package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.data.DataFixtures.fixture;
import static org.lmrec.data.DataFixtures.sequencesById;
import static org.lmrec.data.DataFixtures.write;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecBoleLoaderTest {
  @TempDir Path tmp;

  @Test
  void loadsInterWithTimestampsAndItemAttributes() {
    Dataset d = DatasetLoader.load(fixture("recbole"), DatasetFormat.RECBOLE);

    assertThat(d.name()).isEqualTo("tiny");
    assertThat(d.itemIds()).containsExactly(null, "m1", "m2");
    assertThat(sequencesById(d)).containsExactly("u1 -> [m1, m2]", "u2 -> [m1]");
    assertThat(d.timestamps(0)).containsExactly(500L, 1000L);
    assertThat(d.timestamps(1)).containsExactly(900L); // "900.0" in a float column
    assertThat(d.itemAttributes(1)).containsExactly(
        Map.entry("title", "Toy Story"), Map.entry("year", "1995"), Map.entry("genres", "Animation, Children's, Comedy"));
    assertThat(d.itemText(2, 100)).isEqualTo("title is Heat; year is 1995; genres is Action, Crime, Thriller");
  }

  @Test
  void withoutTimestampTheFileOrderIsKept() {
    write(tmp, "x.inter", "user_id:token\titem_id:token\nu1\tb\nu1\ta\nu2\ta\n");

    Dataset d = RecBoleLoader.load(tmp.resolve("x.inter"));

    assertThat(d.hasTimestamps()).isFalse();
    assertThat(sequencesById(d)).containsExactly("u1 -> [b, a]", "u2 -> [a]");
  }

  @Test
  void llmRankLayoutReadsHistoryThenTargetWithTheOnlyItemFileInTheFolder() {
    write(tmp, "Mini.item", "item_id:token\ttitle:token_seq\n0\tFire Emblem: The Sacred Stones\n1\tGBA Care Case\n2\tZelda\n9\tNever Played\n");
    write(tmp, "Mini-6k.test.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\n0\t0 1\t2\n1\t2\t0\n");

    Dataset d = DatasetLoader.load(tmp.resolve("Mini-6k.test.inter"));

    assertThat(d.name()).isEqualTo("Mini-6k.test");
    assertThat(d.itemIds()).containsExactly(null, "0", "1", "2", "9");
    assertThat(sequencesById(d)).containsExactly("0 -> [0, 1, 2]", "1 -> [2, 0]");
    assertThat(d.itemText(1, 100)).isEqualTo("title is Fire Emblem: The Sacred Stones");
  }

  @Test
  void itemFileAloneGivesAttributesWithMappedAndKeptNames() {
    Path f = write(tmp, "m.item", "item_id:token\tmovie_title:token_seq\tgenre:token_seq\tprice:float\tsales_rank:token\n"
        + "7\tHeat\tAction Crime\t9.5\t12\n8\tUp\t\t\t\n");

    Map<String, Map<String, String>> items = RecBoleLoader.readItems(f);

    assertThat(items.get("7")).containsExactly(
        Map.entry("title", "Heat"), Map.entry("genres", "Action, Crime"), Map.entry("price", "9.5"), Map.entry("sales_rank", "12"));
    assertThat(items.get("8")).containsExactly(Map.entry("title", "Up"));
  }

  @Test
  void malformedInterIsRejected() {
    Path f = write(tmp, "b.inter", "1\t2\t3\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f))
        .hasMessage("b.inter line 1: header column '1' is not name:type (is the header row missing?)");

    write(tmp, "b.inter", "user_id:token\titem:token\nu\ti\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f))
        .hasMessage("b.inter line 1: header has no item_id column (columns: [user_id, item])");

    write(tmp, "b.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ti\t5\nu\ti\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f)).hasMessage("b.inter line 3: expected 3 tab-separated fields, found 2");

    write(tmp, "b.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ti\tnoon\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f)).hasMessage("b.inter line 2: timestamp 'noon' is not a number");

    write(tmp, "b.inter", "user_id:token\titem_id:token\nu\t \n");
    assertThatThrownBy(() -> RecBoleLoader.load(f)).hasMessage("b.inter line 2: item_id is empty");

    write(tmp, "b.inter", "user_id:token\titem_id:int\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f))
        .hasMessage("b.inter line 1: header column 'item_id:int' has unknown type 'int' (expected token, token_seq, float or float_seq)");

    write(tmp, "b.inter", "user_id:token\titem_id:token\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f)).hasMessage("b.inter: no interactions (only the header row)");

    write(tmp, "b.inter", "user_id:token\titem_id_list:token_seq\titem_id:token\nu\t1 2\t3\nu\t1\t2\n");
    assertThatThrownBy(() -> RecBoleLoader.load(f))
        .hasMessage("b.inter line 3: user u appears again (first on line 2); item_id_list files need one row per user");
  }

  @Test
  void malformedItemFileIsRejected() {
    write(tmp, "c.inter", "user_id:token\titem_id:token\nu\ti\n");
    write(tmp, "c.item", "item_id:token\ttitle:token_seq\ni\tA\ni\tB\n");
    assertThatThrownBy(() -> RecBoleLoader.load(tmp.resolve("c.inter")))
        .hasMessage("c.item line 3: item_id i appears again (first on line 2)");

    write(tmp, "c.item", "item_id:token\ttitle:token_seq\tmovie_title:token_seq\ni\tA\tB\n");
    assertThatThrownBy(() -> RecBoleLoader.load(tmp.resolve("c.inter")))
        .hasMessage("c.item line 1: columns 'title' and 'movie_title' would both become attribute 'title'");
  }

  @Test
  void severalUnrelatedItemFilesAreAmbiguous() {
    write(tmp, "d.inter", "user_id:token\titem_id:token\nu\ti\n");
    write(tmp, "e.item", "item_id:token\ttitle:token_seq\ni\tA\n");
    write(tmp, "f.item", "item_id:token\ttitle:token_seq\ni\tB\n");

    assertThatThrownBy(() -> RecBoleLoader.load(tmp.resolve("d.inter")))
        .hasMessage("d.inter: no d.item and several other .item files [e.item, f.item] beside it; cannot tell which one holds its items");
  }
}
