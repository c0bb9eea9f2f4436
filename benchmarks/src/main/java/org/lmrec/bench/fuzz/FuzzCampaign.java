package org.lmrec.bench.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;

/**
 * The fuzz campaign (benchmarks/run.sh fuzz): the streaming job runs on a MiniCluster against a real
 * broker, with the job's default limits; each input topic gets a clean run (valid records only),
 * then {@code n} fuzzed records, then a probe of valid records that must still be accepted. Every
 * record sent is accounted for: dead-lettered (found on the dead-letter topic by its source topic,
 * partition and offset) or accepted (the job's own counters, read through Flink's REST API). Prints
 * a table per topic and exits non-zero when a record is unaccounted for or the job restarted.
 *
 * <p>Arguments (key=value): bootstrap=127.0.0.1:19192 n=100000 seed=1 cleanModels=min(n,1000)
 * work=runs/bench/fuzz log=FILE (the job's log, scanned for forged lines) timeoutSeconds=600.
 */
public final class FuzzCampaign {
  static final int REST_PORT = 18181;
  private static final int ITEMS = 200;
  private static final int USERS = 5_000;

  private final String bootstrap;
  private final int n;
  private final long seed;
  private final int cleanModels;
  private final Path work;
  private final Path log;
  private final Duration timeout;
  private final Configuration defaults = new Configuration();
  private final List<PhaseResult> results = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private Topics t;
  private JobMetrics metrics;
  private DeadLetterTally tally;
  private KafkaProducer<byte[], byte[]> producer;

  private record Topics(String interactions, String models, String experiments, String deadLetters, String recommendations,
      String exposures, String results) {}

  FuzzCampaign(Map<String, String> a) {
    bootstrap = a.getOrDefault("bootstrap", "127.0.0.1:19192");
    n = Integer.parseInt(a.getOrDefault("n", "100000"));
    seed = Long.parseLong(a.getOrDefault("seed", "1"));
    cleanModels = Integer.parseInt(a.getOrDefault("cleanModels", String.valueOf(Math.min(n, 1000))));
    work = Path.of(a.getOrDefault("work", "runs/bench/fuzz")).toAbsolutePath();
    log = a.containsKey("log") ? Path.of(a.get("log")) : null;
    timeout = Duration.ofSeconds(Long.parseLong(a.getOrDefault("timeoutSeconds", "600")));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : argv) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + s + "'");
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    boolean ok;
    try {
      ok = new FuzzCampaign(a).run();
    } catch (Exception e) {
      e.printStackTrace();
      ok = false;
    }
    System.exit(ok ? 0 : 1); // Kafka and Flink leave non-daemon threads behind, so exit either way
  }

  private boolean run() throws Exception {
    Files.createDirectories(work);
    System.out.printf("fuzz campaign: broker %s, %,d records per topic, seed %d, %d cores%n", bootstrap, n, seed,
        Runtime.getRuntime().availableProcessors());
    Path served = work.resolve("models/served-" + System.currentTimeMillis());
    ModelArtifact a = writeModel(served, "fuzz-a", 7);
    ModelArtifact b = writeModel(served, "fuzz-b", 8);
    ModelArtifact outside = writeModel(work.resolve("models/outside-" + System.currentTimeMillis()), "fuzz-outside", 9);
    t = createTopics();
    tally = new DeadLetterTally(bootstrap, t.deadLetters);
    producer = producer();
    JobClient job = startJob(a.dir(), served);
    metrics = new JobMetrics(REST_PORT, job.getJobID().toString());
    awaitRunning();

    int maxPayload = defaults.get(StreamingOptions.MAX_PAYLOAD_BYTES);
    long skew = defaults.get(StreamingOptions.MAX_FUTURE_SKEW).toMillis();
    InteractionFuzz interactions = new InteractionFuzz(seed, USERS, ITEMS, maxPayload, skew, "fz" + seed);
    ModelUpdateFuzz models = new ModelUpdateFuzz(seed + 1, a, b, outside.dir(), 64 * 1024);
    ExperimentFuzz experiments = new ExperimentFuzz(seed + 2, defaults.get(StreamingOptions.MAX_EXPERIMENT_DEFINITION_CHARS));

    // What each topic's records become besides dead letters: accepted, or refused/ignored and only counted.
    Observed interactionsAccepted = () -> metrics.sum("lmrecAcceptedInteractions");
    Observed interactionsIgnored = () -> metrics.sum("lmrecDuplicates");
    Observed modelsSwapped = () -> metrics.onFirstSubtask("scorer.lmrecModelSwaps");
    // A load replaced by a newer announcement before it finished is dropped, not refused (docs/model-loading.md).
    Observed modelsRefused = () -> sum(sum(metrics.onFirstSubtask("scorer.lmrecModelRefusals"), metrics.onFirstSubtask("scorer.lmrecModelAnnouncementsUnchanged")),
        metrics.onFirstSubtask("scorer.lmrecModelLoadsSuperseded"));
    Observed experimentsApplied = () -> metrics.onFirstSubtask("lmrecExperimentUpdatesApplied");
    Observed none = () -> 0;

    phase("interactions", "clean", t.interactions, 2, interactions::valid, n, interactionsAccepted, interactionsIgnored);
    phase("model updates", "clean", t.models, 1, models::valid, cleanModels, modelsSwapped, modelsRefused);
    phase("experiments", "clean", t.experiments, 1, experiments::valid, n, experimentsApplied, none);

    phase("interactions", "fuzz", t.interactions, 2, interactions::fuzz, n, interactionsAccepted, interactionsIgnored);
    probe("interactions", "probe after fuzz", interactions, interactionsAccepted, interactionsIgnored);
    int ahead = Math.max(10, n / 100);
    phase("interactions", "ahead of time", t.interactions, 2, interactions::aheadOfTime, ahead, interactionsAccepted, interactionsIgnored);
    probe("interactions", "probe after those", interactions, interactionsAccepted, interactionsIgnored);

    phase("model updates", "fuzz", t.models, 1, models::fuzz, n, modelsSwapped, modelsRefused);
    long swapsBefore = metrics.onFirstSubtask("scorer.lmrecModelSwaps");
    phase("model updates", "probe after fuzz", t.models, 1, models::valid, 1, modelsSwapped, modelsRefused);
    String version = models.lastValidVersion();
    if (metrics.onFirstSubtask("scorer.lmrecModelSwaps") != swapsBefore + 1) findings.add("a valid announcement after the model fuzz was not swapped in");
    String serving = metrics.gauge("scorer.lmrecServingModelVersion");
    if (!version.equals(serving)) findings.add("after the model fuzz and a valid announcement of " + version + ", the scorer serves " + serving);

    // An older announcement, signed (a replay) and unsigned (a forgery): neither may roll the model back.
    String older = models.otherVersion();
    phase("model updates", "older, signed", t.models, 1, models::olderOfTheOther, 1, modelsSwapped, modelsRefused);
    if (older.equals(metrics.gauge("scorer.lmrecServingModelVersion"))) {
      findings.add("a replayed signed announcement of " + older + " dated 1970 replaced the newer serving model");
    }
    phase("model updates", "older, unsigned", t.models, 1, models::olderOfTheOtherUnsigned, 1, modelsSwapped, modelsRefused);
    if (older.equals(metrics.gauge("scorer.lmrecServingModelVersion"))) {
      findings.add("an unsigned announcement of " + older + " dated 1970 replaced the newer serving model: anyone who can write the topic rolls the model back");
    }

    phase("experiments", "fuzz", t.experiments, 1, experiments::fuzz, n, experimentsApplied, none);
    long appliedBefore = metrics.onFirstSubtask("lmrecExperimentUpdatesApplied");
    PhaseResult definition = phase("experiments", "probe after fuzz", t.experiments, 1, experiments::valid, 1, experimentsApplied, none);
    if (metrics.onFirstSubtask("lmrecExperimentUpdatesApplied") != appliedBefore + 1) {
      findings.add("a valid definition after the experiment fuzz was not applied: " + definition.reasons.keySet());
    }

    long restarts = metrics.restarts();
    String state = metrics.state();
    job.cancel().get(60, TimeUnit.SECONDS);
    producer.close();
    tally.close();
    scanLog();
    return report(restarts, state);
  }

  private static long sum(long x, long y) {
    return x < 0 || y < 0 ? -1 : x + y;
  }

  /** 100 valid interactions stamped now: all must be accepted, whatever came before. */
  private void probe(String label, String phase, InteractionFuzz interactions, Observed accepted, Observed ignored) throws Exception {
    PhaseResult p = phase(label, phase, t.interactions, 2, interactions::valid, 100, accepted, ignored);
    if (p.deadLettered > 0) {
      findings.add("valid interactions stamped now, sent after the '" + results.get(results.size() - 2).phase + "' phase: " + p.deadLettered
          + " of 100 dead-lettered: " + p.reasons.keySet());
    }
  }

  /** A count the job reports, -1 while it does not yet. */
  /** The campaign's key pair in WORK/keys, from a fixed seed (the same key every run); announcements are signed with it. */
  private Path trustedKey() throws Exception {
    Path keys = work.resolve("keys");
    Path privateKey = keys.resolve("fuzz" + org.lmrec.flink.announce.AnnouncementKeys.PRIVATE_SUFFIX);
    if (!Files.exists(privateKey)) {
      java.security.SecureRandom seeded = java.security.SecureRandom.getInstance("SHA1PRNG");
      seeded.setSeed(seed);
      org.lmrec.flink.announce.AnnouncementKeys.generate(keys, "fuzz", seeded);
    }
    WireFormat.signWith(org.lmrec.flink.announce.AnnouncementSigner.fromFile(privateKey));
    return keys.resolve("fuzz" + org.lmrec.flink.announce.AnnouncementKeys.PUBLIC_SUFFIX);
  }

  interface Observed {
    long get() throws Exception;
  }

  /** Per kind of record: sent, dead-lettered, and the dead letters' normalised reasons. */
  static final class KindTally {
    int sent;
    int deadLettered;
    /** One record of this kind that was not dead-lettered, printable: the reproduction of an acceptance. */
    String example;
    final Map<String, Integer> reasons = new TreeMap<>();
  }

  static final class PhaseResult {
    String topic;
    String phase;
    int sent;
    int sendFailures;
    long accepted;
    long quiet;
    int deadLettered;
    int repeats;
    double seconds;
    boolean accounted;
    long restarts;
    final Map<String, Integer> reasons = new TreeMap<>();
    final Map<String, KindTally> kinds = new TreeMap<>();

    double rate() {
      return sent / Math.max(seconds, 1e-3);
    }
  }

  /**
   * Sends {@code count} records and waits until each is accounted for (accepted by the job's counter
   * or found on the dead-letter topic), at most the timeout, or until nothing moved for two minutes.
   */
  private PhaseResult phase(String label, String phase, String topic, int partitions, java.util.function.Supplier<FuzzRecord> gen, int count,
      Observed accepted, Observed quiet) throws Exception {
    PhaseResult r = new PhaseResult();
    r.topic = label;
    r.phase = phase;
    long acceptedBefore = awaitValue(accepted);
    long quietBefore = awaitValue(quiet);
    int dlBefore = tally.count(topic);
    int repeatsBefore = tally.repeats(topic);
    long start = System.nanoTime();
    List<Future<RecordMetadata>> sent = new ArrayList<>(count);
    List<String> kinds = new ArrayList<>(count);
    Map<String, byte[]> firstOfKind = new HashMap<>();
    Map<String, List<Integer>> indexesOfKind = new HashMap<>();
    for (int i = 0; i < count; i++) {
      FuzzRecord rec = gen.get();
      sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, rec.key(), rec.value())));
      kinds.add(rec.kind());
      indexesOfKind.computeIfAbsent(rec.kind(), k -> new ArrayList<>()).add(i);
      if (indexesOfKind.get(rec.kind()).size() <= 50) firstOfKind.put(rec.kind() + "#" + i, rec.value());
    }
    producer.flush();
    List<long[]> positions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KindTally k = r.kinds.computeIfAbsent(kinds.get(i), x -> new KindTally());
      try {
        RecordMetadata m = sent.get(i).get();
        r.sent++;
        k.sent++;
        positions.add(new long[] {m.partition(), m.offset(), i});
      } catch (java.util.concurrent.ExecutionException e) {
        r.sendFailures++;
        findings.add("the broker refused a '" + kinds.get(i) + "' record on " + label + ": " + e.getCause());
      }
    }
    // Wait for every record to be accounted for.
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastProgressAt = System.nanoTime();
    long lastSeen = -1;
    long done = 0;
    while (System.nanoTime() < deadline && System.nanoTime() - lastProgressAt < Duration.ofMinutes(2).toNanos()) {
      long acc = accepted.get();
      long q = quiet.get();
      done = (acc < 0 ? 0 : acc - acceptedBefore) + (q < 0 ? 0 : q - quietBefore) + (tally.count(topic) - dlBefore);
      if (done != lastSeen) {
        lastSeen = done;
        lastProgressAt = System.nanoTime();
      }
      if (done >= r.sent) break;
      Thread.sleep(200);
    }
    r.seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(1_500); // the REST metrics cache: a count that overshoots shows after it refreshes
    r.accepted = accepted.get() - acceptedBefore;
    r.quiet = quiet.get() - quietBefore;
    r.deadLettered = tally.count(topic) - dlBefore;
    r.repeats = tally.repeats(topic) - repeatsBefore;
    r.accounted = r.accepted + r.quiet + r.deadLettered == r.sent;
    r.restarts = metrics.restarts();
    for (long[] p : positions) {
      DeadLetterTally.Letter l = tally.get(topic, (int) p[0], p[1]);
      if (l == null) {
        KindTally k = r.kinds.get(kinds.get((int) p[2]));
        byte[] v = firstOfKind.get(kinds.get((int) p[2]) + "#" + p[2]);
        if (k.example == null && v != null) k.example = Printable.of(v, 160);
        continue;
      }
      String reason = Reasons.normalise(l.reason());
      r.reasons.merge(reason, 1, Integer::sum);
      KindTally k = r.kinds.get(kinds.get((int) p[2]));
      k.deadLettered++;
      k.reasons.merge(reason, 1, Integer::sum);
    }
    System.out.printf(Locale.ROOT, "%s %s: sent %,d, accepted %,d, refused or ignored %,d, dead-lettered %,d (%d repeated), %.1f s, %.0f records/s,"
        + " restarts %d%s%n", label, phase, r.sent, r.accepted, r.quiet, r.deadLettered, r.repeats, r.seconds, r.rate(), r.restarts,
        r.accounted ? "" : "  NOT ACCOUNTED FOR");
    results.add(r);
    return r;
  }

  private static long awaitValue(Observed o) throws Exception {
    for (int i = 0; i < 600; i++) {
      long v = o.get();
      if (v >= 0) return v;
      Thread.sleep(100);
    }
    throw new IllegalStateException("the job does not report its counters");
  }

  private void awaitRunning() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if ("RUNNING".equals(metrics.state()) && metrics.sum("lmrecAcceptedInteractions") >= 0
            && metrics.onFirstSubtask("scorer.lmrecModelSwaps") >= 1) return;
      } catch (Exception notYet) {
        // the REST endpoint starts with the job
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the job did not start within 3 minutes");
  }

  /** Log lines that a record's content started: a newline in a value written to the log unescaped. */
  private void scanLog() throws Exception {
    if (log == null || !Files.exists(log)) return;
    long forged = 0;
    long escapes = 0;
    String example = null;
    try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith(EdgeValues.FORGED_LOG_LINE) || line.startsWith("\r" + EdgeValues.FORGED_LOG_LINE)) {
          forged++;
        }
        if (line.contains("\u001b[")) {
          escapes++;
          if (example == null) example = line.length() > 300 ? line.substring(0, 300) : line;
        }
      }
    } catch (java.io.UncheckedIOException malformed) {
      findings.add("the job's log is not valid UTF-8: " + malformed.getCause());
    }
    if (forged > 0) findings.add(forged + " log lines start with text from a record (a newline in a value reached the log unescaped)");
    if (escapes > 0) findings.add(escapes + " log lines carry a terminal escape sequence from a record, e.g. " + example.replace("\u001b", "\\u001b"));
  }

  private boolean report(long restarts, String state) {
    System.out.println();
    System.out.println("=== fuzz campaign: every record sent is accepted or dead-lettered ===");
    System.out.printf(Locale.ROOT, "%-14s %-18s %8s %9s %9s %9s %8s %9s %9s%n", "topic", "phase", "sent", "accepted", "refused*", "dead",
        "rate/s", "vs clean", "restarts");
    Map<String, Double> clean = new HashMap<>();
    boolean ok = true;
    for (PhaseResult r : results) {
      if (r.phase.equals("clean")) clean.put(r.topic, r.rate());
      Double c = clean.get(r.topic);
      System.out.printf(Locale.ROOT, "%-14s %-18s %8d %9d %9d %9d %8.0f %9s %9d%s%n", r.topic, r.phase, r.sent, r.accepted, r.quiet, r.deadLettered, r.rate(),
          c == null || r.phase.equals("clean") || r.sent < 1000 ? "" : String.format(Locale.ROOT, "%.2f", r.rate() / c), r.restarts,
          r.accounted ? "" : "  <- NOT ACCOUNTED FOR (accepted + refused + dead != sent)");
      ok &= r.accounted;
    }
    System.out.println("* refused or ignored without a dead letter, counted by the job: interactions = duplicates (redeliveries),"
        + " model updates = announcements the scorer refused (lmrecModelRefusals) or that equal the pointer their line serves"
        + " (lmrecModelAnnouncementsUnchanged); experiments dead-letter every refusal");
    for (PhaseResult r : results) {
      if (!r.phase.equals("fuzz")) continue;
      System.out.printf("%n--- %s fuzz: by kind of record (not dead-lettered = sent - dead-lettered) ---%n", r.topic);
      r.kinds.forEach((kind, k) -> {
        String top = k.reasons.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        System.out.printf(Locale.ROOT, "  %-42s sent %7d  not dead-lettered %7d  dead %7d  %s%n", kind, k.sent, k.sent - k.deadLettered, k.deadLettered,
            top.length() > 70 ? top.substring(0, 70) + "…" : top);
        if (k.example != null) System.out.printf("      e.g. not dead-lettered: %s%n", k.example);
      });
      System.out.printf("%n--- %s fuzz: dead letters by reason ---%n", r.topic);
      r.reasons.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
          .forEach(e -> System.out.printf(Locale.ROOT, "  %7d  %s%n", e.getValue(), e.getKey()));
      if (r.repeats > 0) findings.add(r.topic + ": " + r.repeats + " source records were dead-lettered more than once");
    }
    System.out.printf("%ninternal dead letters (no source record: scorer or statistics failures): %d %s%n", tally.internal(), tally.internalReasons());
    System.out.printf("largest dead letter: %,d bytes%n", tally.largest());
    tally.rawControlInReason().forEach((topic, count) -> findings.add(count + " dead letters of " + topic + " carry raw control characters from the record"
        + " in their reason (a reader printing reasons can be fed forged lines), e.g. " + tally.rawControlExample(topic)));
    System.out.printf("job state at the end: %s, numRestarts %d%n", state, restarts);
    if (restarts != 0) findings.add("the job restarted " + restarts + " times");
    if (!"RUNNING".equals(state)) findings.add("the job is " + state + " at the end");
    System.out.println();
    System.out.println(findings.isEmpty() ? "findings: none" : "findings:");
    findings.forEach(f -> System.out.println("  - " + f));
    ok &= restarts == 0 && "RUNNING".equals(state);
    System.out.println(ok ? "RESULT: every record accounted for, no restart" : "RESULT: FAILED (see above)");
    return ok;
  }

  // --- plumbing -------------------------------------------------------------------------------

  private ModelArtifact writeModel(Path root, String version, long modelSeed) {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withMaxLen(50).withSeed(modelSeed);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= ITEMS; i++) ids.add("i" + i);
    try (SequentialModel m = SequentialModels.create(cfg, ITEMS, null)) {
      return ArtifactWriter.write(root, version, cfg.kind().id(), cfg.toMap(), m.exportWeights(), ids,
          new TrainingDataInfo("untrained fuzz model", 0, ITEMS, 0, null, null, "fuzz"), Map.of(), Map.of());
    }
  }

  private Topics createTopics() throws Exception {
    String p = "fuzz-" + System.currentTimeMillis();
    // Delete (not compact) policy on every topic: the accounting needs every record kept until read.
    Topics topics = new Topics(p + "-interactions", p + "-models", p + "-experiments", p + "-dead-letters", p + "-recommendations",
        p + "-exposures", p + "-results");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topics.interactions, 2, (short) 1), new NewTopic(topics.models, 1, (short) 1),
          new NewTopic(topics.experiments, 1, (short) 1), new NewTopic(topics.deadLetters, 1, (short) 1),
          new NewTopic(topics.recommendations, 2, (short) 1), new NewTopic(topics.exposures, 1, (short) 1),
          new NewTopic(topics.results, 1, (short) 1))).all().get();
    }
    return topics;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "10");
    p.put("acks", "1");
    p.put("enable.idempotence", "false");
    return new KafkaProducer<>(p);
  }

  /** The job as deployed, with its default limits; only the topics, the model and the checkpoint settings are set. */
  private JobClient startJob(Path initialModel, Path artifactRoot) throws Exception {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, bootstrap);
    o.set(StreamingOptions.INTERACTIONS_TOPIC, t.interactions);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, t.models);
    o.set(StreamingOptions.EXPERIMENTS_TOPIC, t.experiments);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, t.deadLetters);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, t.recommendations);
    o.set(StreamingOptions.EXPOSURES_TOPIC, t.exposures);
    o.set(StreamingOptions.EXPERIMENT_RESULTS_TOPIC, t.results);
    o.set(StreamingOptions.CONSUMER_GROUP, t.interactions + "-job");
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.INITIAL_MODEL, initialModel.toString());
    o.set(StreamingOptions.ARTIFACT_ROOTS, List.of(artifactRoot.toString()));
    o.set(StreamingOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(trustedKey().toString()));
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
    Configuration flink = StreamingJob.flinkSettings(o);
    flink.setString("taskmanager.memory.managed.size", "256m");
    flink.setString("taskmanager.numberOfTaskSlots", "2");
    flink.setString("rest.port", String.valueOf(REST_PORT));
    flink.setString("metrics.fetcher.update-interval", "200 ms");
    flink.setString("io.tmp.dirs", Files.createDirectories(work.resolve("tmp")).toString());
    // No restarts hidden by a restart budget: the campaign reads numRestarts, which must stay 0.
    flink.setString("restart-strategy.type", "fixed-delay");
    flink.setString("restart-strategy.fixed-delay.attempts", "1000");
    flink.setString("restart-strategy.fixed-delay.delay", "1 s");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    new StreamingJob(o, KafkaEndpoints.from(o)).build(env);
    return env.executeAsync("lmrec fuzz campaign");
  }
}
