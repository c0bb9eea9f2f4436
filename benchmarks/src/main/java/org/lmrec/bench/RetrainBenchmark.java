package org.lmrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.lmrec.data.Dataset;
import org.lmrec.data.RecBoleLoader;
import org.lmrec.data.RecBoleWriter;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.retrain.ModelAnnouncer;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.retrain.RetrainConfig;
import org.lmrec.retrain.RetrainingRun;
import org.lmrec.retrainjob.job.RetrainJob;
import org.lmrec.retrainjob.prep.PrepOptions;
import org.lmrec.flink.archive.ArchiveWriter;
import org.lmrec.train.TrainingOptions;

/**
 * The retraining job's cost, stage by stage: for every dataset, its interactions written as the
 * streaming job's archive ({@code date=YYYY-MM-DD/interactions-*.avro}, each user's events spread
 * over the last 20 days before a fixed window end, every event id unique) and its catalogue as a
 * RecBole {@code .item} file, then three retraining runs through {@link RetrainJob} (the Flink BATCH
 * data preparation on an in-process MiniCluster, then the core's run) in one fresh artifact store
 * and one work directory, as in production:
 *
 * <ol>
 *   <li><b>cold</b>: nothing serving yet, the LM fine-tuned from a fresh LoRA;
 *   <li><b>warm</b>: LM refresh interval 0, so the fine-tuning is warm-started from the serving
 *       LoRA (same SFT epochs); the data is unchanged, so the ID pre-training and the categories
 *       come from the stage cache, as they would in production;
 *   <li><b>incremental</b>: the default 7-day refresh interval with about 1% new catalogue items
 *       (copies of existing items with a changed title): the LoRA is reused and only new items go
 *       through the LM.
 * </ol>
 *
 * The announcer is a no-op that records the version: announcing to Kafka is not timed. Prints
 * every stage's wall time, the gate's held-out NDCG@10 of the candidate (and of the serving model),
 * the items embedded, the cold items, the SFT held-out loss against its baseline, the warm/cold SFT
 * time and NDCG@10 ratios (both runs in this invocation) and the data preparation's throughput.
 *
 * <p>Usage: {@code RetrainBenchmark [datasets=synthetic1m,office] [enhancer=p2rec] [epochs=200] [patience=5]
 * [maxMinutes=0] [sftEpochs=1] [sftUsers=2000 for synthetic1m, 200 for synthetic-small, 0 (all) otherwise]
 * [categories=32] [dim=64] [maxLen=50] [seed=42] [newItems=0.01] [gateMargin=0.02] [validationUsers=10000]
 * [lm=minilm] [workDir=runs/bench/retrain] [threads=2] [warmup=true]}. Datasets: synthetic1m (100,000 users, 20,000
 * items, about 1,000,000 interactions), synthetic-small (2,000 users, 1,000 items, about 20,000; a
 * smoke test), or any name of {@link BenchmarkDatasets} (office, ...; skipped when ../shared/data lacks it).
 * {@code workDir/<dataset>} is deleted at the start of each dataset so that every measurement starts cold.
 * Before the first dataset, a throwaway retraining on a tiny synthetic set warms the JVM up
 * ({@code warmup=false} skips it).
 */
public final class RetrainBenchmark {
  /** End (exclusive) of the window every run reads; fixed, so the archive and the runs are reproducible. */
  static final Instant WINDOW_END = Instant.parse("2025-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofDays(30);
  /** Each user's events lie in the last this many days before {@link #WINDOW_END}. */
  static final Duration SPREAD = Duration.ofDays(20);
  /** Archive part files per date directory (the streaming job writes one per sink subtask). */
  static final int PARTS = 2;
  static final List<String> STAGES = List.of("prepare", "pretrain", "categories", "sft", "augment", "srs");
  /** Stages whose output the stage cache keeps: a run that did not save a new file for one reused it. */
  static final List<String> CACHED_STAGES = List.of("pretrain", "categories", "sft");

  private record Run(String label, RetrainingRun.Outcome outcome, double totalSeconds, Set<String> computed) {
    double stage(String name) {
      return outcome.stageSeconds().getOrDefault(name, Double.NaN);
    }

    Double metric(String key) {
      return outcome.artifact().manifest().metrics().get(key);
    }
  }

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    Path workDir = Path.of(a.get("workDir", "runs/bench/retrain"));
    if (!a.get("warmup", "true").equals("false")) warmUp(a, workDir.resolve("warmup"), threads);
    List<String> reports = new ArrayList<>();
    for (String name : a.get("datasets", "synthetic1m,office").split(",")) {
      name = name.strip();
      Optional<Dataset> loaded = load(name);
      if (loaded.isEmpty()) continue;
      String report = benchmark(name, loaded.get(), a, workDir.resolve(name), threads);
      System.out.println(report);
      reports.add(report);
    }
    System.out.println();
    System.out.println("== all datasets");
    reports.forEach(System.out::println);
  }

  static Optional<Dataset> load(String name) {
    return switch (name) {
      case "synthetic1m" -> Optional.of(SyntheticDataGenerator.generateDataset(
          SyntheticConfig.defaults().withName("synthetic1m").withUsers(100_000).withItems(20_000).withSequenceLength(10, 5)));
      case "synthetic-small" -> Optional.of(SyntheticDataGenerator.generateDataset(
          SyntheticConfig.defaults().withName("synthetic-small").withUsers(2_000).withItems(1_000).withSequenceLength(10, 5)));
      default -> BenchmarkDatasets.select(name).get(0).load();
    };
  }

  private static int defaultSftUsers(String dataset) {
    return switch (dataset) {
      case "synthetic1m" -> 2000;
      case "synthetic-small" -> 200;
      default -> 0;
    };
  }

  private static String benchmark(String name, Dataset data, Args a, Path dir, int threads) throws Exception {
    System.out.println("== " + data.summary());
    deleteRecursively(dir);
    Path archive = dir.resolve("archive");
    long t0 = System.nanoTime();
    long events = writeArchive(data, archive);
    System.out.printf("archive: %d events in %s (written in %.1f s)%n", events, archive, (System.nanoTime() - t0) / 1e9);
    int newItems = (int) Math.max(1, Math.round(Double.parseDouble(a.get("newItems", "0.01")) * data.numItems()));
    Path catalogue = writeCatalogue(data, dir.resolve("catalogue"), 0);
    Path grown = writeCatalogue(data, dir.resolve("catalogue-grown"), newItems);
    Path work = dir.resolve("work");
    RetrainConfig config = config(a, name, work, threads);
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), config.model().kind().id());
    List<String> announced = new ArrayList<>();
    ModelAnnouncer announcer = artifact -> announced.add(artifact.version()); // Kafka is not part of the timing

    List<Run> runs = new ArrayList<>();
    runs.add(run("a cold", archive, catalogue, config, registry, announcer, work, threads));
    runs.add(run("b warm", archive, catalogue, config.withLmRefreshInterval(Duration.ZERO), registry, announcer, work, threads));
    runs.add(run("c incremental", archive, grown, config, registry, announcer, work, threads));
    return table(name, data, events, newItems, config, runs, announced);
  }

  private static Run run(String label, Path archive, Path catalogue, RetrainConfig config, ModelRegistry registry,
      ModelAnnouncer announcer, Path work, int threads) throws Exception {
    System.out.println("== run " + label + " (LM refresh interval " + config.lmRefreshInterval() + ", catalogue " + catalogue + ")");
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", String.valueOf(threads));
    RetrainJob.Settings settings = new RetrainJob.Settings(archive.toAbsolutePath().toUri().toString(), catalogue, WINDOW, WINDOW_END,
        PrepOptions.defaults(), flink);
    Set<String> before = stageFiles(work);
    long t0 = System.nanoTime();
    RetrainingRun.Outcome outcome = new RetrainJob(settings, config, registry, announcer, Clock.systemUTC()).runOnce()
        .orElseThrow(() -> new IllegalStateException("run " + label + ": the window held too little data to train on"));
    double total = (System.nanoTime() - t0) / 1e9;
    Set<String> computed = new HashSet<>();
    for (String f : stageFiles(work)) {
      if (!before.contains(f)) computed.add(f.substring(0, f.indexOf('-')));
    }
    Run r = new Run(label, outcome, total, computed);
    System.out.println("RUN " + label + ": " + outcome.stageSeconds() + ", total " + String.format("%.1f s", total)
        + ", gate " + outcome.gate().reason());
    return r;
  }

  /**
   * One throwaway retraining on a tiny synthetic set, so that what a JVM pays once (class loading
   * and JIT, the first local MiniCluster, PyTorch's and the LM's native start-up) does not land on
   * the first measured run and bias the cold / warm comparison. Not reported; its folder is removed.
   */
  private static void warmUp(Args a, Path dir, int threads) throws Exception {
    long t0 = System.nanoTime();
    System.out.println("== warm-up (not measured): one small retraining in " + dir);
    deleteRecursively(dir);
    Dataset data = SyntheticDataGenerator.generateDataset(
        SyntheticConfig.defaults().withName("warmup").withUsers(300).withItems(300).withCategories(8).withSequenceLength(8, 5).withSeed(7));
    Path archive = dir.resolve("archive");
    writeArchive(data, archive);
    RetrainConfig config = config(a, "warmup", dir.resolve("work"), threads);
    P2RecConfig p2 = config.p2rec().withCategories(8);
    config = config.withP2Rec(p2.withTraining(1, p2.batchSize(), p2.learningRate(), 16))
        .withTraining(new TrainingOptions(1, 1, 1, false), 0);
    ModelRegistry registry = new ModelRegistry(dir.resolve("artifacts"), config.model().kind().id());
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", String.valueOf(threads));
    RetrainJob.Settings settings = new RetrainJob.Settings(archive.toAbsolutePath().toUri().toString(), writeCatalogue(data, dir.resolve("catalogue"), 0),
        WINDOW, WINDOW_END, PrepOptions.defaults(), flink);
    new RetrainJob(settings, config, registry, artifact -> {}, Clock.systemUTC()).runOnce();
    deleteRecursively(dir);
    System.out.printf("== warm-up done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static RetrainConfig config(Args a, String dataset, Path work, int threads) {
    long seed = Long.parseLong(a.get("seed", "42"));
    ModelConfig model = ModelConfig.defaults(ModelKind.SASREC).withDim(a.getInt("dim", 64)).withMaxLen(a.getInt("maxLen", 50)).withSeed(seed);
    Enhancer enhancer = Enhancer.parse(a.get("enhancer", "p2rec"));
    LmCheckpoint checkpoint = enhancer == Enhancer.NONE ? null : LmCheckpoint.parse(a.get("lm", "minilm"));
    RetrainConfig base = RetrainConfig.defaults(enhancer, model, checkpoint, work);
    P2RecConfig p2 = base.p2rec().withCategories(a.getInt("categories", 32));
    p2 = p2.withTraining(a.getInt("sftEpochs", p2.epochs()), p2.batchSize(), p2.learningRate(), a.getInt("sftUsers", defaultSftUsers(dataset)));
    TrainingOptions training = new TrainingOptions(a.getInt("epochs", 200), 1, a.getInt("patience", 5), true, 60L * a.getInt("maxMinutes", 0));
    return base.withP2Rec(p2)
        .withTraining(training, a.getInt("validationUsers", 10_000))
        .withGate(Double.parseDouble(a.get("gateMargin", "0.02")))
        .withThreads(threads);
  }

  /**
   * The dataset's sequences as archive files: user u's events evenly spaced over 19 days starting
   * u mod 1440 minutes after {@code WINDOW_END - SPREAD}, so they keep their order and end before the
   * window does; event ids {@code u<index>-<position>}; two part files per date directory.
   */
  static long writeArchive(Dataset data, Path archive) throws IOException {
    long first = WINDOW_END.minus(SPREAD).toEpochMilli();
    long span = SPREAD.minus(Duration.ofDays(1)).toMillis();
    // Each user's events spread evenly over the spread, users starting a minute apart (mod one day).
    ArchiveWriter.write(data, archive, PARTS,
        (u, i, length) -> Instant.ofEpochMilli(first + (u % 1440) * 60_000L + i * Math.max(1, span / length)));
    return data.numInteractions();
  }

  /**
   * The catalogue as a RecBole {@code .item} file (the {@code .inter} file RecBoleWriter also writes
   * is removed: the interactions come from the archive), plus {@code newItems} new items
   * {@code bench-new-<n>}, each a copy of an existing item (spread over the catalogue) whose title
   * gets " (2nd edition)".
   */
  static Path writeCatalogue(Dataset data, Path dir, int newItems) throws IOException {
    Path inter = RecBoleWriter.write(data, dir);
    String stem = inter.getFileName().toString();
    stem = stem.substring(0, stem.length() - RecBoleLoader.INTER_SUFFIX.length());
    Path item = inter.resolveSibling(stem + RecBoleLoader.ITEM_SUFFIX);
    Files.delete(inter);
    if (newItems == 0) return item;
    List<String> lines = new ArrayList<>(Files.readAllLines(item));
    String[] header = lines.get(0).split("\t", -1);
    int title = -1;
    for (int c = 1; c < header.length; c++) if (header[c].startsWith("title:")) title = c;
    Set<String> ids = new HashSet<>(data.itemIds());
    for (int n = 1; n <= newItems; n++) {
      int twin = 1 + (int) ((n - 1L) * data.numItems() / newItems);
      String line = lines.get(twin); // the writer puts item i on line i
      String[] f = line.split("\t", -1);
      if (!f[0].equals(data.itemId(twin))) throw new IllegalStateException("unexpected line " + twin + " of " + item + ": " + f[0]);
      String id = "bench-new-" + n;
      if (ids.contains(id)) throw new IllegalStateException("item id " + id + " is already in the catalogue");
      f[0] = id;
      int c = title > 0 ? title : f.length - 1;
      if (c > 0) f[c] = (f[c] + " (2nd edition)").strip();
      lines.add(String.join("\t", f));
    }
    Files.write(item, lines);
    return item;
  }

  private static String table(String name, Dataset data, long events, int newItems, RetrainConfig config, List<Run> runs, List<String> announced) {
    StringBuilder sb = new StringBuilder();
    P2RecConfig p2 = config.p2rec();
    sb.append('\n').append(name).append(": retraining stage wall times (s); ").append(data.numUsers()).append(" users, ")
        .append(data.numItems()).append(" items, ").append(events).append(" archived events; ").append(config.enhancer().id())
        .append(" + ").append(config.model().kind().id()).append(" d ").append(config.model().dim()).append(", SRS max ")
        .append(config.training().maxEpochs()).append(" epochs, patience ").append(config.training().patience()).append(", SFT ")
        .append(p2.epochs()).append(" epoch(s), users cap ").append(p2.maxUsers() == 0 ? "all" : String.valueOf(p2.maxUsers()))
        .append(", K ").append(p2.categories()).append(", ").append(config.threads()).append(" threads\n\n");
    sb.append("| run | gate | LM tuned | prepare | pretrain | categories | sft | augment | srs | total | candidate NDCG@10 | serving NDCG@10 | items embedded | cold items | SFT held-out loss / baseline |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Run r : runs) {
      RetrainingRun.Outcome o = r.outcome();
      sb.append("| ").append(r.label()).append(" | ").append(o.gate().passed() ? "published" : "refused").append(" | ").append(o.lmRefreshed() ? "yes" : "no");
      for (String s : STAGES) sb.append(" | ").append(stageCell(r, s));
      sb.append(String.format(" | %.1f | %.4f | %s | %d | %d | %s |%n", r.totalSeconds(), o.gate().candidate().ndcg10(),
          o.gate().serving() == null ? "—" : String.format("%.4f", o.gate().serving().ndcg10()), o.itemsEmbedded(), o.coldItems(), sftCheck(r)));
    }
    sb.append("\n(\"cached\": the stage's output came from the stage cache, the data being unchanged; \"reused\": the serving LoRA was kept as is. ")
        .append("total: the whole RetrainJob.runOnce(), gate and artifact writing included; the announcer is a no-op that records the version, ")
        .append("announcing to Kafka is not timed; run c adds ").append(newItems).append(" new catalogue items.)\n");
    Run cold = runs.get(0), warm = runs.get(1), incremental = runs.get(2);
    sb.append(String.format("%s: warm / cold SFT time %.2f (%.1f s / %.1f s); warm / cold candidate NDCG@10 %.3f (%.4f / %.4f, both measured in this invocation",
        name, warm.stage("sft") / cold.stage("sft"), warm.stage("sft"), cold.stage("sft"),
        warm.outcome().gate().candidate().ndcg10() / cold.outcome().gate().candidate().ndcg10(),
        warm.outcome().gate().candidate().ndcg10(), cold.outcome().gate().candidate().ndcg10()));
    if (warm.outcome().gate().serving() != null) {
      sb.append(String.format("; the gate scored the serving %s at %.4f on the same slice", warm.outcome().gate().servingVersion(), warm.outcome().gate().serving().ndcg10()));
    }
    sb.append(String.format("); incremental / cold total time %.2f%n", incremental.totalSeconds() / cold.totalSeconds()));
    sb.append(name).append(": data preparation (Flink BATCH job on a local MiniCluster, parallelism ").append(config.threads())
        .append(", catalogue read included) over ").append(events).append(" events:");
    for (Run r : runs) {
      long kept = r.outcome().artifact().manifest().trainingData().numInteractions();
      sb.append(String.format(" %s %.1f s = %.0f events/s (%d interactions kept);", r.label(), r.stage("prepare"), events / r.stage("prepare"), kept));
    }
    sb.append('\n').append(name).append(": versions announced (no-op announcer): ").append(announced).append('\n');
    return sb.toString();
  }

  private static String stageCell(Run r, String stage) {
    double s = r.stage(stage);
    if (Double.isNaN(s)) return "—";
    String v = String.format("%.1f", s);
    if (stage.equals("sft") && !r.outcome().lmRefreshed()) return v + " (reused)";
    if (CACHED_STAGES.contains(stage) && !r.computed().contains(stage)) return v + " (cached)";
    return v;
  }

  private static String sftCheck(Run r) {
    Double loss = r.metric("p2rec/sft/heldOut/loss");
    Double baseline = r.metric("p2rec/sft/heldOut/baselineLoss");
    Double users = r.metric("p2rec/sft/users");
    if (loss == null || baseline == null) return "—";
    return String.format("%.5f / %.5f (%s users)", loss, baseline, users == null ? "?" : String.valueOf(users.intValue()));
  }

  /** Names of the stage cache's finished outputs ({@code <stage>-<key>.safetensors}). */
  private static Set<String> stageFiles(Path work) throws IOException {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(work)) return out;
    try (Stream<Path> files = Files.list(work)) {
      files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".safetensors") && !f.startsWith(".") && f.indexOf('-') > 0).forEach(out::add);
    }
    return out;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private RetrainBenchmark() {}
}
