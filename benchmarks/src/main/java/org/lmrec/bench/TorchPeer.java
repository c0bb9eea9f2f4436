package org.lmrec.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The plain PyTorch SASRec loop ({@code benchmarks/python/sasrec_torch.py}) as a child process of
 * the speed benchmark, so that both trainers are timed in one invocation on the same data. The
 * script prints a {@code setup ...} line and one {@code epoch=N seconds=S loss=L} line per epoch;
 * this class runs it, parses those lines and reduces them to seconds per epoch.
 */
final class TorchPeer {
  /** Where the script lives, relative to the project root (benchmarks/run.sh runs from there). */
  static final Path SCRIPT = Path.of("benchmarks", "python", "sasrec_torch.py");
  /** Debian's interpreter: python3-torch installs for it, not for a pyenv python3 earlier on PATH. */
  static final String DEFAULT_PYTHON = "/usr/bin/python3";

  /** What the script reported: its setup line's fields and the seconds of each epoch, in order. */
  record Run(Map<String, String> setup, List<Double> epochSeconds) {
    int setupInt(String key) {
      return Math.toIntExact(setupLong(key));
    }

    long setupLong(String key) {
      String v = setup.get(key);
      if (v == null) throw new IllegalStateException("the PyTorch peer's setup line has no " + key + "=: " + setup);
      return Long.parseLong(v);
    }
  }

  private TorchPeer() {}

  /**
   * Why the peer cannot run with this interpreter, or empty when it can: the interpreter is missing,
   * or it cannot import torch. Either way the benchmark prints the reason and goes on without it.
   */
  static Optional<String> unavailable(String python) {
    if (!Files.isExecutable(Path.of(python))) {
      return Optional.of(python + " is not an executable file (python=PATH chooses the interpreter)");
    }
    if (!Files.isRegularFile(SCRIPT)) {
      return Optional.of(SCRIPT + " not found (run from the project root, as benchmarks/run.sh does)");
    }
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of(python + " -c 'import torch' did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        String last = out.isEmpty() ? "exit " + p.exitValue() : out.lines().reduce((a, b) -> b).orElse("");
        return Optional.of(python + " cannot import torch (" + last + "); on Debian: apt-get install -y python3-torch libopenblas0-pthread");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(python + " could not be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking " + python);
    }
  }

  /** Runs the script to the end, echoing its lines to stderr as progress; fails loudly if it fails. */
  static Run run(String python, Path data, int maxLen, float dropout, int epochs, int threads, long seed)
      throws IOException, InterruptedException {
    List<String> cmd =
        List.of(python, SCRIPT.toString(), "--data", data.toString(), "--maxlen", String.valueOf(maxLen),
            "--dropout", String.valueOf(dropout), "--epochs", String.valueOf(epochs),
            "--threads", String.valueOf(threads), "--seed", String.valueOf(seed));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
        System.err.println("  torch: " + line);
      }
    }
    int rc = p.waitFor();
    if (rc != 0) throw new IllegalStateException("the PyTorch peer failed (exit " + rc + "): " + String.join(" ", cmd));
    Run run = parse(lines);
    if (run.epochSeconds().size() != epochs) {
      throw new IllegalStateException("the PyTorch peer printed " + run.epochSeconds().size() + " epochs, expected " + epochs);
    }
    return run;
  }

  /** The setup line's fields and the epochs' seconds from the script's stdout; other lines are ignored. */
  static Run parse(List<String> lines) {
    Map<String, String> setup = null;
    List<Double> seconds = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("setup ")) {
        setup = keyValues(line.substring("setup ".length()));
      } else if (line.startsWith("epoch=")) {
        Map<String, String> kv = keyValues(line);
        int epoch = Integer.parseInt(kv.get("epoch"));
        if (epoch != seconds.size() + 1) throw new IllegalStateException("epoch " + epoch + " out of order in: " + line);
        String s = kv.get("seconds");
        if (s == null) throw new IllegalStateException("no seconds= in the PyTorch peer's line: " + line);
        seconds.add(Double.parseDouble(s));
      }
    }
    if (setup == null) throw new IllegalStateException("the PyTorch peer printed no setup line");
    return new Run(setup, List.copyOf(seconds));
  }

  /** {@code a=1 b=x} as an ordered map; a token without '=' is an error, not silently dropped. */
  static Map<String, String> keyValues(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String token : text.strip().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq <= 0) throw new IllegalStateException("expected key=value, got '" + token + "' in: " + text);
      out.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return out;
  }

  /**
   * Seconds per epoch in steady state: the median of the epochs after the first (the first pays for
   * warm-up: JIT, allocator, thread pools), so it needs at least two epochs.
   */
  static double steadySeconds(List<Double> epochSeconds) {
    if (epochSeconds.size() < 2) throw new IllegalArgumentException("need at least 2 epochs, got " + epochSeconds.size());
    double[] rest = epochSeconds.subList(1, epochSeconds.size()).stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(rest);
    int n = rest.length;
    return n % 2 == 1 ? rest[n / 2] : (rest[n / 2 - 1] + rest[n / 2]) / 2;
  }
}
