package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default checkpoint comes from the jar with a pinned hash; folders are checked for exactly one model and a tokenizer. */
class LmCheckpointTest {
  @TempDir Path dir;

  @Test
  void defaultMiniLmIsExtractedFromTheJarAndPinned() {
    LmCheckpoint c = LmCheckpoint.defaultMiniLm();
    assertThat(c.name()).isEqualTo("all-minilm-l6-v2");
    assertThat(c.onnxFile()).isRegularFile().hasFileName("all-minilm-l6-v2.onnx");
    assertThat(c.tokenizerFile()).isRegularFile();
    assertThat(c.sha256()).isEqualTo("759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e");
    assertThat(c.onnxFile().getParent().getFileName().toString()).isEqualTo("all-minilm-l6-v2-759c3cd2b7fe");
    assertThat(LmCheckpoint.parse("default")).isEqualTo(c);
    assertThat(LmCheckpoint.parse("MiniLM")).isEqualTo(c);
  }

  @Test
  void folderWithOneModelAndATokenizer() throws IOException {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    Files.writeString(dir.resolve("README.md"), "a checkpoint");

    LmCheckpoint c = LmCheckpoint.parse(dir.toString());

    assertThat(c.onnxFile()).isEqualTo(dir.resolve("model.onnx"));
    assertThat(c.tokenizerFile()).isEqualTo(dir.resolve("tokenizer.json"));
    assertThat(c.name()).isEqualTo(dir.getFileName().toString());
  }

  @Test
  void aSuffixedTokenizerIsAcceptedWhenItIsTheOnlyOne() throws IOException {
    Files.writeString(dir.resolve("bge.onnx"), "x");
    Files.writeString(dir.resolve("bge-tokenizer.json"), "{}");
    assertThat(LmCheckpoint.fromFolder(dir).tokenizerFile()).isEqualTo(dir.resolve("bge-tokenizer.json"));
  }

  @Test
  void emptyFolderIsRefused() {
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one *.onnx")
        .hasMessageContaining("found 0");
  }

  @Test
  void twoModelsAreRefused() throws IOException {
    Files.writeString(dir.resolve("a.onnx"), "x");
    Files.writeString(dir.resolve("b.onnx"), "x");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one *.onnx")
        .hasMessageContaining("a.onnx")
        .hasMessageContaining("b.onnx");
  }

  @Test
  void missingOrAmbiguousTokenizerIsRefused() throws IOException {
    Files.writeString(dir.resolve("model.onnx"), "x");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found none");
    Files.writeString(dir.resolve("a-tokenizer.json"), "{}");
    Files.writeString(dir.resolve("b-tokenizer.json"), "{}");
    assertThatThrownBy(() -> LmCheckpoint.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a-tokenizer.json");
  }

  @Test
  void missingFolderIsRefused() {
    assertThatThrownBy(() -> LmCheckpoint.parse(dir.resolve("nope").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not found");
  }
}
