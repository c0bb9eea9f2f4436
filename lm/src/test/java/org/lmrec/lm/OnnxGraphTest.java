package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire-format reader and the BERT analysis on the real MiniLM graph; garbage is refused. */
class OnnxGraphTest {
  @TempDir Path dir;

  @Test
  void miniLmGraphIsReadAndEveryProjectionFound() {
    OnnxGraph graph = OnnxGraph.read(LmCheckpoint.defaultMiniLm().onnxFile(), name -> !name.contains("word_embeddings"));

    assertThat(graph.nodes()).hasSize(637);
    assertThat(graph.initializers()).hasSize(102);
    assertThat(graph.initializers().get("embeddings.word_embeddings.weight").floats()).as("skipped by the filter").isNull();
    assertThat(graph.initializers().get("embeddings.position_ids").longs()).hasSize(512).startsWith(0L, 1L, 2L);

    BertGraph bert = BertGraph.of(graph, 0);
    assertThat(bert.config().heads()).isEqualTo(12);
    assertThat(bert.config().headSize()).isEqualTo(32);
    assertThat(bert.source(0, Projection.QUERY)).isEqualTo(new BertGraph.Source("onnx::MatMul_787", "encoder.layer.0.attention.self.query.bias", false));
    assertThat(bert.source(5, Projection.OUTPUT).bias()).isEqualTo("encoder.layer.5.output.dense.bias");
    assertThat(bert.source(0, Projection.INTERMEDIATE).weight()).isEqualTo("onnx::MatMul_798");
    assertThat(BertGraph.of(graph, 6).config().heads()).as("override").isEqualTo(6);
  }

  @Test
  void aFileThatIsNotAModelIsRefused() throws IOException {
    Path notAModel = Files.writeString(dir.resolve("model.onnx"), "this is not a protobuf message");
    assertThatThrownBy(() -> OnnxGraph.read(notAModel)).isInstanceOf(UncheckedIOException.class).hasMessageContaining(notAModel.toString());
    assertThatThrownBy(() -> OnnxGraph.read(dir.resolve("missing.onnx"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
  }
}
