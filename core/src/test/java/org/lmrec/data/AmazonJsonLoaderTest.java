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

class AmazonJsonLoaderTest {
  @TempDir Path tmp;

  @Test
  void loadsSequencesInFileOrderAndRegistersCatalogItemsFirst() {
    Dataset d = DatasetLoader.load(fixture("amazon/Tiny.inter.json"), DatasetFormat.AMAZON_JSON);

    assertThat(d.name()).isEqualTo("Tiny");
    assertThat(d.hasTimestamps()).isFalse();
    // x9 is in item.json only: still an item; 7 and x3 have no attributes
    assertThat(d.itemIds()).containsExactly(null, "x1", "x2", "x9", "7", "x3");
    assertThat(sequencesById(d)).containsExactly("A -> [x2, x1]", "B -> [7, x2, x3]");
    assertThat(d.sequence(1)).containsExactly(4, 2, 5);
    assertThat(d.distinctUsersPerItem()).containsExactly(0, 1, 2, 0, 1, 1);
  }

  @Test
  void itemAttributesAreFlattenedLowerCasedAndUnescaped() {
    Dataset d = AmazonJsonLoader.load(fixture("amazon"));

    assertThat(d.itemAttributes(1)).containsExactly(
        Map.entry("title", "Red & Blue Pen"), Map.entry("brand", "Inkwell"), Map.entry("categories", "Office, Pens, Gel Pens"));
    assertThat(d.itemText(1, 100)).isEqualTo("title is Red & Blue Pen; brand is Inkwell; categories is Office, Pens, Gel Pens");
    assertThat(d.itemText(2, 100)).isEqualTo("title is Notebook; categories is Office, Paper; price is 3.5");
    assertThat(d.itemText(3, 100)).isEqualTo("title is Never Bought");
    assertThat(d.itemAttributes(4)).isEmpty();
  }

  @Test
  void withoutItemJsonItemsComeInOrderOfFirstAppearance() {
    write(tmp, "Ids.inter.json", "{\"u1\": [3, 1], \"u2\": [1, 2, 3]}");

    Dataset d = AmazonJsonLoader.load(tmp.resolve("Ids.inter.json"));

    assertThat(d.itemIds()).containsExactly(null, "3", "1", "2");
    assertThat(d.sequence(1)).containsExactly(2, 3, 1);
  }

  @Test
  void unescapesHtmlEntities() {
    assertThat(AmazonJsonLoader.unescapeHtml("AT&amp;T &quot;Big&quot; &#39;Pen&#39; &lt;b&gt; &#8482; &amp;lt;"))
        .isEqualTo("AT&T \"Big\" 'Pen' <b> \u2122 &lt;");
  }

  @Test
  void invalidJsonNamesFileAndLine() {
    Path f = write(tmp, "Bad.inter.json", "{\n  \"A\": [\"x1\", \"x2\"],\n  \"B\": [\"x1\", }\n");

    assertThatThrownBy(() -> AmazonJsonLoader.load(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("Bad.inter.json line 3: invalid JSON: Unexpected character ('}'");
  }

  @Test
  void wrongShapesAreRejectedWithTheirLine() {
    Path f = write(tmp, "S.inter.json", "{\n  \"A\": [\"x1\"],\n  \"B\": \"x2\"\n}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f))
        .hasMessage("S.inter.json line 3: the value of user 'B' must be a list of item ids, found a string");

    write(tmp, "S.inter.json", "{\n  \"A\": [\"x1\",\n    {\"id\": 1}]\n}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f))
        .hasMessage("S.inter.json line 3: item ids of user 'A' must be strings or integers, found an object");

    write(tmp, "S.inter.json", "{\"A\": [\"x1\"],\n \"A\": [\"x2\"]}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f)).hasMessageStartingWith("S.inter.json line 2: invalid JSON: Duplicate field 'A'");

    write(tmp, "S.inter.json", "{\"A\": [\"x1\"],\n \"B\": []}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f)).hasMessage("S.inter.json line 2: user 'B' has an empty item list");

    write(tmp, "S.inter.json", "[[\"x1\"]]");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f))
        .hasMessage("S.inter.json line 1: expected a JSON object {user: [item, ...]} at the top level, found a list");

    write(tmp, "S.inter.json", "{}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f)).hasMessage("S.inter.json: no users in the file");

    write(tmp, "S.inter.json", "");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f)).hasMessage("S.inter.json: file is empty");

    write(tmp, "S.inter.json", "{\"A\": [\"x1\"]}\n{\"B\": [\"x2\"]}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(f)).hasMessage("S.inter.json line 2: unexpected content after the top-level object");
  }

  @Test
  void badItemJsonIsRejectedWithItsLine() {
    write(tmp, "T.inter.json", "{\"A\": [\"x1\"]}");
    Path items = write(tmp, "T.item.json", "{\n \"x1\": {\"title\": \"Pen\"},\n \"x2\": {\"title\": {\"en\": \"Pad\"}}\n}");
    assertThatThrownBy(() -> AmazonJsonLoader.load(tmp.resolve("T.inter.json")))
        .hasMessage("T.item.json line 3: attribute 'title' of item 'x2' is an object; expected text, a number or a list");

    write(tmp, "T.item.json", "{\n \"x1\": \"Pen\"\n}");
    assertThatThrownBy(() -> AmazonJsonLoader.readItems(items))
        .hasMessage("T.item.json line 2: the value of item 'x1' must be an object of attributes, found a string");

    write(tmp, "T.item.json", "{\n \"x1\": {\"title\": \"Pen\", \"title\": \"Pad\"}\n}");
    assertThatThrownBy(() -> AmazonJsonLoader.readItems(items))
        .hasMessageStartingWith("T.item.json line 2: invalid JSON: Duplicate field 'title'");
  }
}
