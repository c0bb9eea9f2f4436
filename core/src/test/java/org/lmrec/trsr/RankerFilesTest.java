package org.lmrec.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactException;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

class RankerFilesTest {
  static final RankerSpec SPEC = new RankerSpec(RankerSpec.FORMAT_VERSION, "tiny-lm", "ab12", 3,
      Map.of("rank", 1, "alpha", 2.0, "targets", List.of("query")), SummaryMode.RECURRENT, 5, 5, "extractive-v1(x)", 3,
      List.of("brand"), 40, 128);
  static final YesNoHead HEAD = YesNoHead.of(new Tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2));

  private static Path write(Path root) {
    ArtifactWriter w = ArtifactWriter.builder(root, "v1", "sasrec")
        .weights(new TensorMap().put("item_embedding", new Tensor(new float[6], 3, 2)))
        .itemIds(Arrays.asList(null, "a", "b"))
        .trainingData(new TrainingDataInfo("tiny", 1, 2, 3L, 1L, 2L, "fixture"));
    TensorMap lora = new TensorMap().put("lora.0.query.A", new Tensor(new float[] {0.5f, -0.5f, 1f}, 3, 1))
        .put("lora.0.query.B", new Tensor(new float[] {0.25f, 0f, 1f}, 1, 3));
    RankerFiles.attach(w, SPEC, lora, HEAD);
    return w.write().dir();
  }

  @Test
  void roundTripsSpecLoraAndHead(@TempDir Path root) {
    LoadedArtifact a = ArtifactReader.load(write(root));
    RankerFiles.Stored s = RankerFiles.read(a);
    assertThat(s.spec()).isEqualTo(SPEC);
    assertThat(s.lora().get("lora.0.query.B").data()).containsExactly(0.25f, 0f, 1f);
    assertThat(s.head().toTensor().data()).containsExactly(HEAD.toTensor().data());
    assertThat(new String(RankerFiles.toJson(SPEC), StandardCharsets.UTF_8)).contains("\"summary\" : \"recurrent\"");
  }

  @Test
  void refusesATamperedFileAndAnArtifactWithoutRanker(@TempDir Path root) throws Exception {
    Path dir = write(root.resolve("a"));
    Path head = dir.resolve(RankerFiles.HEAD);
    byte[] bytes = Files.readAllBytes(head);
    bytes[bytes.length - 1] ^= 1; // one bit of one head value
    Files.write(head, bytes);
    assertThatThrownBy(() -> ArtifactReader.load(dir)).isInstanceOf(ArtifactException.class)
        .hasMessageContaining("head.safetensors").hasMessageContaining("SHA-256 mismatch");

    Path spec = write(root.resolve("b")).resolve(RankerFiles.SPEC);
    Files.writeString(spec, Files.readString(spec).replace("\"maxTokens\" : 128", "\"maxTokens\" : 512"));
    assertThatThrownBy(() -> ArtifactReader.load(spec.getParent().getParent())).hasMessageContaining("SHA-256 mismatch");

    Path plain = ArtifactWriter.builder(root.resolve("c"), "v1", "sasrec")
        .weights(new TensorMap().put("item_embedding", new Tensor(new float[6], 3, 2))).itemIds(Arrays.asList(null, "a", "b"))
        .trainingData(new TrainingDataInfo("tiny", 1, 2, 3L, 1L, 2L, "fixture")).write().dir();
    assertThatThrownBy(() -> RankerFiles.read(ArtifactReader.load(plain))).hasMessageContaining("not trained with --enhancer llm-trsr");
  }

  @Test
  void refusesAnUnknownFormatVersion() {
    byte[] json = new String(RankerFiles.toJson(SPEC), StandardCharsets.UTF_8).replace("\"formatVersion\" : 1", "\"formatVersion\" : 9")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RankerFiles.fromJson(json)).hasMessageContaining("format version 9 is not supported");
  }
}
