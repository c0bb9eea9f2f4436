package org.lmrec.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactException;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/** The summary catalogue's round trip through a real artifact, and the reader's refusals. */
class SummaryCatalogueTest {
  @TempDir Path root;

  static List<SummaryCatalogue.Entry> entries() {
    return List.of(
        new SummaryCatalogue.Entry("i-1", "Blue pen", Map.of("category", "Pens", "brand", "Acme"), new float[] {1, 0}),
        new SummaryCatalogue.Entry("i-2", "Tab\there \"quoted\" ünï", Map.of(), new float[] {0.5f, -2}));
  }

  Path write(Map<String, byte[]> catalogue) {
    TensorMap weights = new TensorMap();
    weights.put("item_embedding", new Tensor(new float[6], 3, 2));
    ArtifactWriter w = ArtifactWriter.builder(root, "v1", "sasrec").config(Map.of("numItems", 2, "d", 2))
        .weights(weights).itemIds(Arrays.asList(null, "i-1", "i-2"))
        .trainingData(new org.lmrec.artifact.TrainingDataInfo("tiny", 1, 2, 2L, 1L, 2L, "fixture")).createdAt(Instant.parse("2026-12-01T00:00:00Z"));
    catalogue.forEach(w::extraFile);
    return w.write().dir();
  }

  @Test
  void roundTripsThroughAnArtifactWhoseOtherChecksStillPass() {
    Path dir = write(SummaryCatalogue.toFiles(entries(), 2, "lm:test"));
    ArtifactReader.load(dir); // the catalogue is an ordinary checksummed file of the artifact
    SummaryCatalogue c = SummaryCatalogue.read(dir, SummaryCatalogue.Limits.defaults());
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.dim()).isEqualTo(2);
    assertThat(c.embeddingName()).isEqualTo("lm:test");
    SummaryItem two = c.item("i-2").orElseThrow();
    assertThat(two.title()).isEqualTo("Tab\there \"quoted\" ünï");
    assertThat(two.embedding()).containsExactly(0.5f, -2f);
    assertThat(c.item("i-1").orElseThrow().attributes()).isEqualTo(Map.of("category", "Pens", "brand", "Acme"));
    assertThat(c.item("i-3")).isEmpty();
  }

  @Test
  void anArtifactWithoutOneSaysSo() {
    Path dir = write(Map.of());
    assertThatThrownBy(() -> SummaryCatalogue.read(dir, SummaryCatalogue.Limits.defaults()))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("has no summary catalogue");
  }

  @Test
  void aTamperedCatalogueIsRefused() throws Exception {
    Path dir = write(SummaryCatalogue.toFiles(entries(), 2, "lm:test"));
    Path items = dir.resolve(SummaryCatalogue.ITEMS_FILE);
    Files.writeString(items, Files.readString(items).replace("Blue pen", "Buy now"));
    assertThatThrownBy(() -> SummaryCatalogue.read(dir, SummaryCatalogue.Limits.defaults()))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("SHA-256 mismatch");
  }

  @Test
  void anOversizedCatalogueIsRefusedBeforeItIsRead() {
    Path dir = write(SummaryCatalogue.toFiles(entries(), 2, "lm:test"));
    assertThatThrownBy(() -> SummaryCatalogue.read(dir, SummaryCatalogue.Limits.defaults().withMaxBytes(64)))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("larger than the cap of 64 bytes");
  }

  @Test
  void hostileContentIsRefusedWithTheLine() {
    SummaryCatalogue.Limits limits = new SummaryCatalogue.Limits(1 << 20, 10, 8, 200, 20, 2, 30);
    assertThatThrownBy(() -> parse(header(1, 2) + "{\"id\":\"a\",\"title\":\"" + "x".repeat(21) + "\",\"attributes\":{}}\n", 2, limits))
        .hasMessageContaining("line 2: title longer than 20");
    assertThatThrownBy(() -> parse(header(1, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}\n", 2, limits))
        .hasMessageContaining("line 2: 3 attributes, more than 2");
    assertThatThrownBy(() -> parse(header(2, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{}}\n{\"id\":\"a\",\"title\":\"u\",\"attributes\":{}}\n", 4, limits))
        .hasMessageContaining("line 3: id 'a' repeats line 2");
    assertThatThrownBy(() -> parse(header(11, 2), 22, limits)).hasMessageContaining("items must be a whole number in [0, 10]");
    assertThatThrownBy(() -> parse(header(1, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{\"a\":7}}\n", 2, limits))
        .hasMessageContaining("attribute 'a' is not a string");
    assertThatThrownBy(() -> parse(header(1, 2) + "not json\n", 2, limits)).hasMessageContaining("line 2: not JSON");
    assertThatThrownBy(() -> parse(header(1, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{}}\n", 3, limits))
        .hasMessageContaining("not 1 x 2 float32 values");
    assertThatThrownBy(() -> parse(header(1, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{}}\n" + "{\"id\":\"b\",\"title\":\"t\",\"attributes\":{}}\n", 2, limits))
        .hasMessageContaining("more item lines than the header's 1");
    byte[] nan = new byte[8];
    java.nio.ByteBuffer.wrap(nan).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NaN);
    assertThatThrownBy(() -> SummaryCatalogue.fromFiles(Map.of(SummaryCatalogue.ITEMS_FILE,
        (header(1, 2) + "{\"id\":\"a\",\"title\":\"t\",\"attributes\":{}}\n").getBytes(StandardCharsets.UTF_8), SummaryCatalogue.EMBEDDINGS_FILE, nan), limits))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("value 1 (row 1) is not finite");
  }

  static String header(int items, int dim) {
    return "{\"format\":1,\"items\":" + items + ",\"dim\":" + dim + ",\"embedding\":\"x\"}\n";
  }

  static SummaryCatalogue parse(String lines, int floats, SummaryCatalogue.Limits limits) {
    return SummaryCatalogue.fromFiles(Map.of(SummaryCatalogue.ITEMS_FILE, lines.getBytes(StandardCharsets.UTF_8),
        SummaryCatalogue.EMBEDDINGS_FILE, new byte[floats * 4]), limits);
  }
}
