package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.tensor.Tensor;

class ItemEmbeddingStoreTest {
  @TempDir Path dir;

  /** A deterministic stand-in for the LM that records which texts it was asked to embed. */
  private final List<String> seen = new ArrayList<>();

  private Tensor embed(List<String> texts) {
    float[] out = new float[texts.size() * 3];
    for (int i = 1; i < texts.size(); i++) {
      seen.add(texts.get(i));
      int hash = texts.get(i).hashCode();
      for (int k = 0; k < 3; k++) out[i * 3 + k] = (hash >> (8 * k) & 0xff) / 255f;
    }
    return new Tensor(out, texts.size(), 3);
  }

  @Test
  void embedsOnlyNewOrChangedTextsAndReusesTheRestExactly() {
    ItemEmbeddingStore store = new ItemEmbeddingStore(dir);
    ItemEmbeddingStore.Result first = store.embed("lm", List.of("", "red mug", "blue mug", "green mug"), this::embed);
    assertThat(first.embedded()).isEqualTo(3);
    assertThat(seen).containsExactly("red mug", "blue mug", "green mug");

    seen.clear();
    // A new item, a changed text, a reordered catalogue.
    ItemEmbeddingStore.Result second = store.embed("lm", List.of("", "green mug", "red mug", "blue mug, large", "yellow mug"), this::embed);
    assertThat(seen).containsExactly("blue mug, large", "yellow mug");
    assertThat(second.embedded()).isEqualTo(2);
    assertThat(second.reused()).isEqualTo(2);
    assertThat(row(second.table(), 1)).containsExactly(row(first.table(), 3));
    assertThat(row(second.table(), 2)).containsExactly(row(first.table(), 1));
    assertThat(row(second.table(), 0)).containsOnly(0f);

    // Another LM key shares nothing.
    seen.clear();
    store.embed("other-lm", List.of("", "red mug"), this::embed);
    assertThat(seen).containsExactly("red mug");
  }

  @Test
  void aDamagedFileIsIgnoredAndEverythingIsEmbeddedAgain() throws Exception {
    ItemEmbeddingStore store = new ItemEmbeddingStore(dir);
    store.embed("lm", List.of("", "a", "b"), this::embed);
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".bin")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[20] ^= 1;
    Files.write(file, bytes);
    seen.clear();
    assertThat(store.embed("lm", List.of("", "a", "b"), this::embed).embedded()).isEqualTo(2);
    assertThat(seen).containsExactly("a", "b");
  }

  private static float[] row(Tensor t, int i) {
    return java.util.Arrays.copyOfRange(t.data(), i * t.dim(1), (i + 1) * t.dim(1));
  }
}
