package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second checkpoint, e5-small-v2 (12 layers, 384-d, fp32) from its Maven Central jar: the
 * folder {@code lmrec lm extract} writes, its descriptor (text prefix, pinned sums), the graph read
 * without hard-coded sizes, and the prefix as the tokenizer and ONNX Runtime apply it.
 */
class E5CheckpointTest {
  private static final String E5_ONNX_SHA = "b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0";

  @TempDir Path dir;

  @Test
  void extractedFolderIsPinnedAndCarriesTheQueryPrefix() throws IOException {
    LmCheckpoint c = LmFixtures.e5SmallV2();
    Path folder = c.onnxFile().getParent();
    assertThat(c.name()).isEqualTo("e5-small-v2");
    assertThat(c.onnxFile()).hasFileName("e5-small-v2.onnx");
    assertThat(c.tokenizerFile()).isEqualTo(folder.resolve("tokenizer.json"));
    assertThat(c.textPrefix()).isEqualTo("query: ");
    assertThat(c.sha256()).isEqualTo(E5_ONNX_SHA);
    assertThat(c.embeddingKey()).isEqualTo(E5_ONNX_SHA + "+prefix:query: ");
    assertThat(LmCheckpoint.defaultMiniLm().embeddingKey()).as("MiniLM's cache keys are unchanged").isEqualTo(LmCheckpoint.defaultMiniLm().sha256());
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(folder.resolve(LmCheckpoint.DESCRIPTOR))) {
      p.load(r);
    }
    assertThat(p.getProperty("onnx.sha256")).isEqualTo(E5_ONNX_SHA);
    assertThat(p.getProperty("tokenizer.sha256")).isEqualTo("d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66");
    assertThat(LmCheckpoint.parse(folder.toString())).isEqualTo(c);
  }

  @Test
  void extractRefusesAnUnknownModelAndANonEmptyFolder() throws IOException {
    assertThatThrownBy(() -> LmCheckpoint.extractBundled("e5-large-v2", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown bundled checkpoint 'e5-large-v2'")
        .hasMessageContaining("e5-small-v2");
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> LmCheckpoint.extractBundled("e5-small-v2", dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void graphIsReadAsTwelveLayersWithoutHardCodedSizes() {
    BertConfig c = BertGraph.of(OnnxGraph.read(LmFixtures.e5SmallV2().onnxFile()), 0).config();
    assertThat(c).isEqualTo(new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12f));
  }

  @Test
  void prefixGoesAfterClsAndIsNeverCut() {
    LmCheckpoint e5 = LmFixtures.e5SmallV2();
    String text = "Ergonomic Mesh Office Chair with Adjustable Lumbar Support, breathable back and padded seat for long days";
    try (LmTokenizer t = new LmTokenizer(e5)) {
      long[] prefix = t.textPrefixIds();
      assertThat(prefix).isEqualTo(t.rawIds("query:"));
      long[] joined = t.rawIds("query: " + text);
      long[] raw = t.rawIds(text);
      assertThat(joined).as("prefix tokens + text tokens = the tokens of the joined text").isEqualTo(concat(prefix, raw));

      long[] full = t.encode(List.of(text), 128, false).ids()[0];
      assertThat(full).isEqualTo(concat(t.prefixIds(), joined, t.suffixIds()));

      int max = 12;
      int room = max - 2 - prefix.length;
      long[] keepEnd = t.encode(List.of(text), max, true).ids()[0];
      long[] keepStart = t.encode(List.of(text), max, false).ids()[0];
      assertThat(keepEnd).isEqualTo(concat(t.prefixIds(), prefix, Arrays.copyOfRange(raw, raw.length - room, raw.length), t.suffixIds()));
      assertThat(keepStart).isEqualTo(concat(t.prefixIds(), prefix, Arrays.copyOfRange(raw, 0, room), t.suffixIds()));
      assertThatThrownBy(() -> t.encode(List.of(text), 2 + prefix.length, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text prefix");
    }
    try (LmTokenizer plain = new LmTokenizer(new LmCheckpoint("e5-no-prefix", e5.onnxFile(), e5.tokenizerFile()))) {
      assertThat(plain.textPrefixIds()).isEmpty();
      assertThat(plain.encode(List.of(text), 128, false).ids()[0]).isEqualTo(concat(plain.prefixIds(), plain.rawIds(text), plain.suffixIds()));
    }
  }

  @Test
  void onnxEmbeddingWithThePrefixIsTheModelCardsQueryEmbedding() {
    LmCheckpoint e5 = LmFixtures.e5SmallV2();
    LmCheckpoint noPrefix = new LmCheckpoint("e5-no-prefix", e5.onnxFile(), e5.tokenizerFile());
    List<String> texts = List.of("stapler with 1000 staples", "desk lamp, LED, dimmable", "gel pens, assorted colours, pack of 12");
    float[][] prefixed;
    float[][] manual;
    float[][] bare;
    try (OnnxTextEmbedder a = new OnnxTextEmbedder(e5, 2); OnnxTextEmbedder b = new OnnxTextEmbedder(noPrefix, 2)) {
      assertThat(a.hiddenSize()).isEqualTo(384);
      prefixed = a.embed(texts, 64, 8, null);
      manual = b.embed(texts.stream().map(s -> "query: " + s).toList(), 64, 8, null);
      bare = b.embed(texts, 64, 8, null);
    }
    assertThat(LmFixtures.maxAbsDiff(prefixed, manual)).isLessThan(1e-5);
    assertThat(LmFixtures.maxAbsDiff(prefixed, bare)).as("the prefix changes the embedding").isGreaterThan(1e-3);
  }

  @Test
  void descriptorWithAnUnknownKeyIsRefused() throws IOException {
    fakeCheckpoint();
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR), "text.prefix=query: \ntext.prefx=passage: \n");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'text.prefx'");
  }

  @Test
  void descriptorPinsAreChecked() throws IOException {
    fakeCheckpoint();
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR), "onnx.sha256=" + "0".repeat(64) + "\n");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pins onnx.sha256");
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR), "tokenizer.sha256=abc\n");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SHA-256");
    // sha256("x") and sha256("{}"): the right pins are accepted
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR),
        "onnx.sha256=2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n"
            + "tokenizer.sha256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\ntext.prefix=passage: \n");
    assertThat(LmCheckpoint.fromFolder(dir).textPrefix()).isEqualTo("passage: ");
  }

  @Test
  void hostilePrefixesAreRefused() throws IOException {
    fakeCheckpoint();
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR), "text.prefix=query:\\u0000\n");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    Files.writeString(dir.resolve(LmCheckpoint.DESCRIPTOR), "text.prefix=" + "q".repeat(65) + "\n");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64");
  }

  private void fakeCheckpoint() throws IOException {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
  }

  private static long[] concat(long[]... parts) {
    int n = 0;
    for (long[] p : parts) n += p.length;
    long[] out = new long[n];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
