package org.lmrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code lmrec train | evaluate | generate-data | lm extract}. */
@Command(
    name = "lmrec",
    mixinStandardHelpOptions = true,
    version = "lmrec 0.1.0",
    description = "Sequential recommendation with LM-enhanced item embeddings: train, evaluate, generate data.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, GenerateDataCommand.class, LmCommand.class, CommandLine.HelpCommand.class})
public final class LmrecCli {
  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true"); // nothing may be downloaded at run time
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling, for {@link #main} and in-process tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new LmrecCli())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  // Expected failures (bad files, bad options) get one clear line, not a stack trace.
                  cmd.getErr().println("error: " + e.getMessage());
                  if (Boolean.getBoolean("lmrec.debug")) e.printStackTrace(cmd.getErr());
                  return 1;
                });
  }
}
