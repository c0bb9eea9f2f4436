package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.lmrec.cli.LmrecCli;
import org.lmrec.tensor.TensorMap;
import picocli.CommandLine;

/** What the enhancers' end-to-end command tests share: run the CLI in-process, find its artifact. */
public final class TrainCommandRuns {
  private TrainCommandRuns() {}

  /** Runs {@code lmrec} with these arguments and fails with its stderr unless it exits 0. */
  public static void run(String[] args) {
    StringWriter err = new StringWriter();
    CommandLine cli = LmrecCli.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("exit code; stderr: %s", err).isZero();
  }

  /** The one version directory an artifact root holds. */
  public static Path onlyVersion(Path root) throws Exception {
    try (Stream<Path> s = Files.list(root)) {
      List<Path> dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      assertThat(dirs).hasSize(1);
      return dirs.get(0);
    }
  }

  public static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Largest absolute value over the tensors whose name ends with {@code nameEnd}. */
  public static float maxAbs(TensorMap m, String nameEnd) {
    float max = 0;
    for (String n : m.names()) {
      if (!n.endsWith(nameEnd)) continue;
      for (float v : m.get(n).data()) max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
