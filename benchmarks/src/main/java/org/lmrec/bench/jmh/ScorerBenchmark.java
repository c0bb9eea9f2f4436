package org.lmrec.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jdk.incubator.vector.FloatVector;
import org.lmrec.serving.KernelCalibration;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the scoring JMH benchmarks (vector kernel, OpenBLAS kernel, scalar kernel, PyTorch matmul through DJL, top-K,
 * history encoders) and prints a table of items scored per second, GFLOP/s (2 * batch * items * d
 * per batch) and the ratios, and one of histories encoded per second.
 *
 * <p>Usage: {@code ScorerBenchmark [forks=1] [warmups=3] [iterations=5] [seconds=1] [threads=1]
 * [include=REGEX] [batch=1,32,256] [items=3000,100000] [dim=64] [maxLen=50]}; {@code threads} are
 * the PyTorch intra-op thread counts to measure, e.g. {@code 1,2} (1 is the per-core comparison; 2
 * threads on a 2-core machine that runs anything else mostly measures the threads waiting for each
 * other); the shape keys override the benchmarks' default parameters (the encoders' batch is 64
 * unless {@code batch} is given); {@code include=Encoder} runs the encoder benchmarks only.
 */
public final class ScorerBenchmark {
  private static final String[] FORK_JVM_ARGS = {
    "--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g", "-Dai.djl.offline=true"
  };

  public static void main(String[] args) throws RunnerException {
    Map<String, String> a = parse(args);
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "1"));
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(a.getOrDefault("include", ScorerBenchmark.class.getPackageName() + "\\..*Benchmark"))
        .forks(Integer.parseInt(a.getOrDefault("forks", "1")))
        .warmupIterations(Integer.parseInt(a.getOrDefault("warmups", "3")))
        .measurementIterations(Integer.parseInt(a.getOrDefault("iterations", "5")))
        .warmupTime(TimeValue.seconds(seconds))
        .measurementTime(TimeValue.seconds(seconds))
        .param("threads", a.getOrDefault("threads", "1").split(","))
        .jvmArgs(FORK_JVM_ARGS);
    for (String p : List.of("batch", "items", "dim", "maxLen")) {
      if (a.containsKey(p)) options.param(p, a.get(p).split(","));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    System.out.println();
    System.out.println(header());
    System.out.println();
    printScoringTable(results);
    printTopKTable(results);
    printEncoderTable(results);
  }

  private static void printEncoderTable(Collection<RunResult> results) {
    // benchmark -> (batch, dim, maxLen, histories per second, error fraction)
    Map<String, double[]> rows = new java.util.LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      if (!name.endsWith("EncoderBenchmark." + method(r))) continue;
      int batch = param(r, "batch");
      double score = r.getPrimaryResult().getScore();
      rows.put(method(r), new double[] {batch, param(r, "dim"), param(r, "maxLen"), score * batch, r.getPrimaryResult().getScoreError() / score});
    }
    if (rows.isEmpty()) return;
    System.out.println("Encoding a micro-batch of full-length histories (one thread; encode = one history at a time, plain loops;"
        + " encodeBatch = the whole batch on the vector kernel, Scalar = on the plain-loop fallback; gruStep = one new item on a"
        + " stored GRU state + the output layer, per event):");
    System.out.println("| benchmark | batch | d | maxLen | histories (events)/s | µs per history | GFLOP/s | vs per-user encode |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, double[]> e : rows.entrySet()) {
      double[] v = e.getValue();
      String bench = e.getKey();
      String baseline = bench.startsWith("sasRec") ? "sasRecEncode" : "gruEncode";
      double[] base = rows.get(baseline);
      double gflops = v[3] * EncoderBenchmark.flopsPerHistory(bench, (int) v[1], (int) v[2]) / 1e9;
      System.out.println(String.format("| %s | %d | %d | %d | %,.0f ±%.0f%% | %.1f | %.1f | %s |", bench, (int) v[0], (int) v[1], (int) v[2],
          v[3], 100 * v[4], 1e6 / v[3], gflops, base == null ? "-" : String.format("%.1fx", v[3] / base[3])));
    }
    System.out.println();
  }

  private static void printScoringTable(Collection<RunResult> results) {
    // "kernel" -> (batch, items, dim) -> batches per second; the same -> its 99.9% error as a fraction
    Map<String, Map<List<Integer>, Double>> rates = new HashMap<>();
    Map<String, Map<List<Integer>, Double>> errors = new HashMap<>();
    TreeSet<List<Integer>> shapes = new TreeSet<>((x, y) -> x.get(1).equals(y.get(1)) ? x.get(0) - y.get(0) : x.get(1) - y.get(1));
    for (RunResult r : results) {
      String method = method(r);
      String kernel = method.equals("matmul") ? "djl-" + r.getParams().getParam("threads") + "t" : method;
      if (method.equals("top10") || r.getParams().getBenchmark().contains("EncoderBenchmark")) continue;
      List<Integer> shape = List.of(param(r, "batch"), param(r, "items"), param(r, "dim"));
      shapes.add(shape);
      double score = r.getPrimaryResult().getScore();
      rates.computeIfAbsent(kernel, k -> new HashMap<>()).put(shape, score);
      errors.computeIfAbsent(kernel, k -> new HashMap<>()).put(shape, r.getPrimaryResult().getScoreError() / score);
    }
    if (shapes.isEmpty()) return;
    List<String> kernels = new ArrayList<>();
    for (String k : List.of("vector", "blas", "scalar", "djl-1t", "djl-2t")) if (rates.containsKey(k)) kernels.add(k);
    List<String> torch = kernels.stream().filter(k -> k.startsWith("djl-")).toList();
    StringBuilder head = new StringBuilder("| batch | items | d |");
    StringBuilder rule = new StringBuilder("|---:|---:|---:|");
    for (String k : kernels) {
      head.append(" ").append(k).append(" Mitems/s | ").append(k).append(" GFLOP/s |");
      rule.append("---:|---:|");
    }
    for (String k : kernels) {
      if (k.equals("vector")) continue;
      head.append(" vector/").append(k).append(" |");
      rule.append("---:|");
    }
    if (kernels.contains("blas")) {
      for (String t : torch) {
        head.append(" blas/").append(t).append(" |");
        rule.append("---:|");
      }
    }
    head.append(" calibration picks (its GFLOP/s) |");
    rule.append("---|");
    for (String t : torch) {
      head.append(" picked/").append(t).append(" |");
      rule.append("---:|");
    }
    System.out.println("Scoring one batch against the catalogue (Java kernels single-threaded; djl-Nt = PyTorch matmul with N intra-op threads):");
    System.out.println(head);
    System.out.println(rule);
    for (List<Integer> s : shapes) {
      double pairs = (double) s.get(0) * s.get(1);
      StringBuilder row = new StringBuilder(String.format("| %d | %,d | %d |", s.get(0), s.get(1), s.get(2)));
      for (String k : kernels) {
        Double ops = rates.get(k).get(s);
        row.append(ops == null ? " - | - |" : String.format(" %,.0f ±%.0f%% | %.1f |", ops * pairs / 1e6,
            100 * errors.get(k).get(s), ops * pairs * 2 * s.get(2) / 1e9));
      }
      Double vector = rates.getOrDefault("vector", Map.of()).get(s);
      for (String k : kernels) {
        if (k.equals("vector")) continue;
        Double other = rates.get(k).get(s);
        row.append(vector == null || other == null ? " - |" : String.format(" %.2f |", vector / other));
      }
      if (kernels.contains("blas")) {
        Double blas = rates.get("blas").get(s);
        for (String t : torch) {
          Double other = rates.get(t).get(s);
          row.append(blas == null || other == null ? " - |" : String.format(" %.2f |", blas / other));
        }
      }
      KernelCalibration.Choice choice = calibrate(s.get(0), s.get(1), s.get(2));
      row.append(" ").append(choice.kernel().propertyValue()).append(" (").append(choice.gflops().entrySet().stream()
          .map(e -> String.format("%s %.1f", e.getKey().propertyValue(), e.getValue())).collect(Collectors.joining(", "))).append(") |");
      Double picked = rates.getOrDefault(choice.kernel().propertyValue(), Map.of()).get(s);
      for (String t : torch) {
        Double other = rates.get(t).get(s);
        row.append(picked == null || other == null ? " - |" : String.format(" %.2f |", picked / other));
      }
      System.out.println(row);
    }
    System.out.println(
        "(± is JMH's 99.9% confidence half-width. The Java kernels write into reused rows; DJL's matMul allocates its"
            + " [batch, items] result on every call, as DJL has no out= form. \"calibration picks\": ItemCatalogue's start-up"
            + " calibration (KernelCalibration) run in this JVM after the JMH forks, on the same shape; picked/djl uses the"
            + " JMH rate of the kernel it picked.)");
    System.out.println();
  }

  /** What ItemCatalogue's start-up calibration picks for this shape, on the benchmarks' own table. */
  private static KernelCalibration.Choice calibrate(int batch, int items, int dim) {
    return KernelCalibration.choose(ScoringData.itemTable(items, dim), items, dim, batch);
  }

  private static void printTopKTable(Collection<RunResult> results) {
    // items -> the vector kernel's µs per user at its largest measured batch
    Map<Integer, double[]> scoring = new HashMap<>(); // {batch, µs per user}
    for (RunResult r : results) {
      if (!method(r).equals("vector")) continue;
      int batch = param(r, "batch");
      double[] best = scoring.get(param(r, "items"));
      if (best == null || batch > best[0]) {
        scoring.put(param(r, "items"), new double[] {batch, 1e6 / (r.getPrimaryResult().getScore() * batch)});
      }
    }
    List<String> rows = new ArrayList<>();
    for (RunResult r : results) {
      if (!method(r).equals("top10")) continue;
      double perSecond = r.getPrimaryResult().getScore();
      double[] score = scoring.get(param(r, "items"));
      rows.add(String.format("| %,d | %.1f | %,.0f | %s |", param(r, "items"), 1e6 / perSecond, perSecond,
          score == null ? "-" : String.format("%.1f (batch %d)", score[1], (int) score[0])));
    }
    if (rows.isEmpty()) return;
    System.out.println("Top-10 of one user's score row (50 history items excluded), the step after scoring:");
    System.out.println("| items | top-10 µs per user | users/s | vector scoring µs per user |");
    System.out.println("|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println();
  }

  private static String header() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (Exception e) {
      // not Linux: the CPU name is only decoration
    }
    return String.format(
        "%s, %d cores; Java %s; vector species %s", cpu, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), FloatVector.SPECIES_PREFERRED);
  }

  private static String method(RunResult r) {
    String name = r.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static int param(RunResult r, String name) {
    return Integer.parseInt(r.getParams().getParam(name));
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return values;
  }
}
