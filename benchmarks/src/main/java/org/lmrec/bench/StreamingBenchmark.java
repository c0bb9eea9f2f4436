package org.lmrec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.stream.job.StreamingJob;
import org.lmrec.stream.state.UserSequence;

/**
 * End-to-end streaming benchmark against a running Kafka broker (benchmarks/run.sh streaming
 * starts one): the job on an in-process MiniCluster with RocksDB, parallelism 2, a recommendation
 * for every event, at-least-once. Per head and catalogue size it prints the highest sustained
 * rate, p50/p99 event-to-recommendation latency at half that rate beside Kafka's own
 * produce-to-consume latency at the same rate, and the compute bound from an in-run matrix
 * multiply; then ingest without scoring and the state size per user.
 *
 * <p>Arguments (key=value): bootstrap=127.0.0.1:19092 heads=sasrec,gru4rec items=3000,100000
 * dim=64 maxLen=50 users=20000 latencySeconds=20 ingestEvents=400000 swaps=5 work=runs/bench/streaming
 * kafka-properties=FILE (TLS/SASL client settings, docs/kafka-security.md);
 * flink.KEY=VALUE (the MiniCluster's Flink configuration) and job.KEY=VALUE (the job's lmrec.* options);
 * only=scoring runs just the scoring run (drain, live sustainable rate, latency at half of each, compute bound);
 * only=swap runs just the hot-swap measurement (announcement to first recommendation by the new version);
 * only=experiment just the drain rate with one model against a two-arm experiment, two rounds of
 * abBacklog=200000 events each (60000 at 50,000 items or more; a longer drain lets the JIT settle);
 * only=summaries the user summaries (extractive backend, lmrec.summaries.*): drain rate and summary
 * refreshes per second with them off and on, and recommendation latency at summaryRate=1000 ev/s
 * off and on (summaryBacklog=200000);
 * only=rerank the LLM-TRSR re-rank (lmrec.rerank.*): p50/p99 latency at rerankRate=0.25 ev/s over
 * rerankEvents=30 events with it off and re-ranking each of rerankTops=20,50, and the extra p99 of each
 * (rerankUsers=40 users whose histories are first filled with 25 unscored VIEW events each);
 * only=latency the tail-latency levers: the job's latency at leverRate=3000 ev/s for latencySeconds under
 * each of variants=base,... (variant.NAME.flink.KEY=VALUE and variant.NAME.job.KEY=VALUE give a variant
 * its settings; base has none), each job first filling the users' state from leverWarm=200000 events
 * (the rate it drains them at is printed too),
 * in leverRounds=2 rounds that alternate the variants, with Kafka alone at the same rate once per round.
 */
public final class StreamingBenchmark {
  private final String bootstrap;
  private final KafkaClientProperties kafkaClient;
  private final int dim;
  private final int maxLen;
  private final int users;
  private final int latencySeconds;
  private final Path work;
  private final int checkpointSeconds;
  private final Map<String, String> flinkExtra = new java.util.HashMap<>();
  private final Map<String, String> jobExtra = new java.util.HashMap<>();
  private final List<String> report = new ArrayList<>();
  private int runCounter;

  StreamingBenchmark(Args a) {
    bootstrap = a.get("bootstrap", "127.0.0.1:19092");
    // TLS/SASL settings for every client of the run (docs/kafka-security.md).
    String kafkaProperties = a.get("kafka-properties", null);
    try {
      kafkaClient = kafkaProperties == null ? KafkaClientProperties.none() : KafkaClientProperties.load(Path.of(kafkaProperties));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read kafka-properties=" + kafkaProperties, e);
    }
    dim = a.getInt("dim", 64);
    maxLen = a.getInt("maxLen", 50);
    users = a.getInt("users", 20_000);
    latencySeconds = a.getInt("latencySeconds", 20);
    work = Path.of(a.get("work", "runs/bench/streaming")).toAbsolutePath();
    checkpointSeconds = a.getInt("checkpointSeconds", 10);
    restPort = a.getInt("restPort", 18081);
    // flink.<key>=<value> arguments go to the job's Flink configuration, for experiments.
    a.withPrefix("flink.").forEach(flinkExtra::put);
    // job.<key>=<value> arguments set the job's own lmrec.* options, e.g. job.lmrec.experiments.outcome-cache-users=1.
    a.withPrefix("job.").forEach(jobExtra::put);
  }

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    StreamingBenchmark b = new StreamingBenchmark(a);
    Files.createDirectories(b.work);
    System.out.printf("streaming benchmark: broker %s, d=%d, max length %d, %d users, %d cores%n",
        b.bootstrap, b.dim, b.maxLen, b.users, Runtime.getRuntime().availableProcessors());
    String only = a.get("only", "");
    for (String head : a.get("heads", "sasrec,gru4rec").split(",")) {
      for (String items : a.get("items", "3000,100000").split(",")) {
        ModelKind kind = ModelKind.parse(head.trim());
        int n = Integer.parseInt(items.trim());
        if (only.isEmpty() || only.equals("scoring")) b.scoringRun(kind, n);
        if (only.isEmpty() || only.equals("swap")) b.swapRun(kind, n, a.getInt("swaps", 5));
        if (only.isEmpty() || only.equals("experiment")) b.experimentRun(kind, n, a.getInt("abBacklog", n >= 50_000 ? 60_000 : 200_000));
        if (only.equals("latency")) b.leverRun(kind, n, a);
        if (only.equals("summaries")) b.summaryRun(kind, n, a.getInt("summaryBacklog", 200_000), a.getInt("summaryRate", 1000));
        if (only.equals("rerank")) {
          b.rerankRun(kind, n, Double.parseDouble(a.get("rerankRate", "0.25")), a.getInt("rerankEvents", 30), a.getInt("rerankUsers", 40),
              a.get("rerankTops", "20,50"));
        }
      }
    }
    if (only.isEmpty()) b.ingestRun(a.getInt("ingestEvents", 400_000));
    System.out.println();
    System.out.println("=== streaming benchmark summary ===");
    b.report.forEach(System.out::println);
    System.exit(0); // Kafka and Flink leave non-daemon threads behind
  }

  // --- one head and catalogue -------------------------------------------------------------

  private void scoringRun(ModelKind kind, int items) throws Exception {
    String name = kind.id() + "-" + items;
    System.out.printf("%n--- %s: writing a %d-item model ---%n", name, items);
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen).withSeed(7);
    ModelArtifact model = writeModel(cfg, items, name);
    Topics t = createTopics(name);

    // 1. Highest sustained rate: a backlog of events, the job drains it as fast as it can.
    // Long enough (tens of seconds) that JIT warm-up and the first checkpoints stay outside the middle 80% measured.
    int backlog = items >= 50_000 ? 80_000 : 300_000;
    StreamTraffic traffic = new StreamTraffic(11, users, items, name);
    long base = System.currentTimeMillis() - 3_600_000L;
    produce(t.in, backlog, i -> traffic.next(base + i));
    JobClient job = startJob(scoringOptions(t, model), null);
    List<ConsumerRecord<byte[], byte[]>> recs = consume(t.out, backlog, Duration.ofMinutes(8));
    double maxRate = drainRate(recs);
    System.out.printf("%s: sustained %.0f events/s draining a backlog of %,d%n", name, maxRate, backlog);

    // 2. Draining a backlog batches everything and the broker only serves reads: live traffic costs
    //    more. The live sustainable rate is the highest of a few fractions of the drain rate at
    //    which the job keeps up (its own p50 under 50 ms and p99 under 300 ms over 8 s).
    double liveRate = 0;
    for (double f : new double[] {0.8, 0.6, 0.45, 0.3, 0.2, 0.1}) {
      latencyRun(t.in, t.out, f * maxRate, traffic, 8);
      long probeP50 = ThroughputWindow.percentile(lastInternal, 0.5);
      long probeP99 = ThroughputWindow.percentile(lastInternal, 0.99);
      System.out.printf("%s: live probe at %.2f of the drain rate (%.0f ev/s): inside the job p50 %d ms, p99 %d ms, max %d ms%n", name, f,
          f * maxRate, probeP50, probeP99, ThroughputWindow.percentile(lastInternal, 1.0));
      if (probeP50 < 50 && probeP99 < 300) {
        liveRate = f * maxRate;
        break;
      }
    }
    System.out.printf("%s: live sustainable %.0f events/s%n", name, liveRate);

    // 3. Latency at half the sustainable rate (event time = send time, measured at the consumer),
    //    at half the drain rate, and at 100 events/s.
    double rate = Math.max(100, liveRate / 2);
    long[] latency = latencyRun(t.in, t.out, rate, traffic, latencySeconds);
    long[] internal = lastInternal;
    long[] halfDrain = latencyRun(t.in, t.out, maxRate / 2, traffic, latencySeconds);
    long[] halfDrainInternal = lastInternal;
    long[] lowLatency = latencyRun(t.in, t.out, 100, traffic, latencySeconds);
    long[] lowInternal = lastInternal;
    job.cancel().get(60, TimeUnit.SECONDS);

    // 4. Kafka alone at the same rate, same producer and consumer settings.
    long[] kafkaLatency = latencyRun(t.echo, t.echo, rate, new StreamTraffic(13, users, items, name + "-echo"), latencySeconds);

    // 5. The compute bound: the in-run matmul FLOP rate over the FLOPs of one scored event.
    double gflops = matmulGflops(items);
    double flopsPerEvent = FlopCount.perEvent(cfg, items);
    double bound = gflops * 1e9 / flopsPerEvent;

    long p50 = ThroughputWindow.percentile(latency, 0.5);
    long p99 = ThroughputWindow.percentile(latency, 0.99);
    long kp50 = ThroughputWindow.percentile(kafkaLatency, 0.5);
    long kp99 = ThroughputWindow.percentile(kafkaLatency, 0.99);
    String line = String.format(Locale.ROOT,
        "%-15s drain %7.0f ev/s, live sustainable %7.0f ev/s | compute bound %8.0f ev/s (matmul %.1f GFLOP/s, %.2f MFLOP/event)"
            + " -> ratio %.2f (drain) %.2f (live) | at %.0f ev/s: p50 %d ms, p99 %d ms (inside the job: p50 %d, p99 %d); Kafka alone"
            + " p50 %d ms, p99 %d ms -> p99 ratio %.2f | at half the drain rate: p50 %d ms, p99 %d ms (inside %d, %d)"
            + " | at 100 ev/s: p50 %d ms, p99 %d ms (inside %d, %d)",
        name, maxRate, liveRate, bound, gflops, flopsPerEvent / 1e6, maxRate / bound, liveRate / bound, rate, p50, p99,
        ThroughputWindow.percentile(internal, 0.5), ThroughputWindow.percentile(internal, 0.99),
        kp50, kp99, p99 / (double) Math.max(1, kp99),
        ThroughputWindow.percentile(halfDrain, 0.5), ThroughputWindow.percentile(halfDrain, 0.99),
        ThroughputWindow.percentile(halfDrainInternal, 0.5), ThroughputWindow.percentile(halfDrainInternal, 0.99),
        ThroughputWindow.percentile(lowLatency, 0.5), ThroughputWindow.percentile(lowLatency, 0.99),
        ThroughputWindow.percentile(lowInternal, 0.5), ThroughputWindow.percentile(lowInternal, 0.99));
    System.out.println(line);
    report.add(line);
  }

  // --- the cost of an A/B experiment ---------------------------------------------------------

  /**
   * Drain rate of one backlog with one model, then of the same backlog with a 50/50 experiment
   * whose arms are served by two models of the same shape (the default line and a "candidate"
   * line): the overhead of assignment, of a second model in memory and of splitting each
   * micro-batch in two. Same traffic, same job settings, both measured in this invocation.
   */
  private void experimentRun(ModelKind kind, int items, int backlog) throws Exception {
    String name = kind.id() + "-" + items + "-ab";
    System.out.printf("%n--- %s: one model vs a two-arm experiment ---%n", name);
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen);
    ModelArtifact control = writeModel(cfg.withSeed(7), items, name + "-control");
    ModelArtifact candidate = writeModel(cfg.withSeed(8), items, name + "-candidate");
    Path experiment = work.resolve(name + "-experiment.json");
    Files.writeString(experiment, """
        {"id": "bench-ab", "version": 1, "salt": "bench",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                  {"name": "candidate", "weight": 50, "model": {"line": "candidate"}}],
         "start": "2020-01-01T00:00:00Z"}
        """);
    // Two rounds of one model then the experiment: a drain of 200,000 events lasts 10-25 s, and in the
    // first round the JIT compiler is still at work on each side (on 2 cores its threads took a fifth of
    // the CPU of the first two-arm drain, measured per thread), so the second round is the warm comparison.
    Drain single = drain(name + "-single", control, null, null, backlog, new StreamTraffic(23, users, items, name));
    Drain twoArms = drain(name + "-two-arms", control, candidate, experiment, backlog, new StreamTraffic(23, users, items, name));
    Drain singleWarm = drain(name + "-single-again", control, null, null, backlog, new StreamTraffic(23, users, items, name));
    Drain twoArmsWarm = drain(name + "-two-arms-again", control, candidate, experiment, backlog, new StreamTraffic(23, users, items, name));
    String line = String.format(Locale.ROOT,
        "%-22s drain with one model %7.0f ev/s, with a two-arm experiment (50/50, two models) %7.0f ev/s -> ratio %.2f"
            + " (first round %.0f / %.0f = %.2f); JVM CPU per 1,000 events %.0f vs %.0f ms -> %.2fx (first round %.0f vs %.0f ms)",
        name, singleWarm.rate(), twoArmsWarm.rate(), twoArmsWarm.rate() / singleWarm.rate(), twoArms.rate(), single.rate(),
        twoArms.rate() / single.rate(), singleWarm.cpuMillisPerThousand(), twoArmsWarm.cpuMillisPerThousand(),
        twoArmsWarm.cpuMillisPerThousand() / singleWarm.cpuMillisPerThousand(), single.cpuMillisPerThousand(), twoArms.cpuMillisPerThousand());
    System.out.println(line);
    report.add(line);
  }

  /**
   * One drain: its rate, and the CPU this JVM (job, benchmark client, JIT and GC; not the broker)
   * spent from the job's start to the last recommendation read, per 1,000 events.
   */
  private record Drain(double rate, double cpuMillisPerThousand) {}

  /** Drains {@code backlog} events; with an experiment, {@code candidate} is announced on its line first. */
  private Drain drain(String name, ModelArtifact model, ModelArtifact candidate, Path experiment, int backlog, StreamTraffic traffic)
      throws Exception {
    Topics t = createTopics(name);
    Configuration options = scoringOptions(t, model);
    if (experiment != null) {
      options.set(StreamingOptions.EXPERIMENTS_FILE, experiment.toString());
      options.set(StreamingOptions.EXPERIMENT_RESULTS_TOPIC, t.echo); // the echo topic is otherwise unused here
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(clientConfig(Map.of("bootstrap.servers", bootstrap)), new ByteArraySerializer(), new ByteArraySerializer())) {
        org.lmrec.flink.announce.ModelUpdates.send(p, t.models, candidate, "candidate", signer());
      }
    }
    long base = System.currentTimeMillis() - 3_600_000L;
    produce(t.in, backlog, i -> traffic.next(base + i));
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long jitBefore = jit.getTotalCompilationTime();
    JobClient job = startJob(options, null);
    List<ConsumerRecord<byte[], byte[]>> recs = consume(t.out, backlog, Duration.ofMinutes(8));
    double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
    long jitMillis = jit.getTotalCompilationTime() - jitBefore;
    job.cancel().get(60, TimeUnit.SECONDS);
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    long[] produced = new long[recs.size()];
    Map<String, Integer> arms = new java.util.TreeMap<>();
    for (int i = 0; i < recs.size(); i++) {
      Recommendation r = codec.decode(recs.get(i).value());
      produced[i] = r.getProducedAt().toEpochMilli();
      arms.merge(r.getExperimentArm() == null ? "(none)" : r.getExperimentArm() + " by " + r.getModelVersion(), 1, Integer::sum);
    }
    double rate = ThroughputWindow.eventsPerSecond(produced);
    System.out.printf("%s: %.0f events/s draining %,d; JVM CPU %.0f ms per 1,000 events (JIT compilers %,d ms in all); served %s%n", name, rate,
        backlog, cpuMillis * 1000 / backlog, jitMillis, arms);
    if (experiment != null) printResults(t.echo);
    return new Drain(rate, cpuMillis * 1000 / backlog);
  }

  /** What the experiment's statistics published while the backlog drained: the outcome join and the looks ran under the same load. */
  private void printResults(String topic) {
    AvroCodec<org.lmrec.schema.ExperimentResult> codec = AvroCodec.of(org.lmrec.schema.ExperimentResult.class);
    List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer("earliest")) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) c.poll(Duration.ofMillis(200)).forEach(recs::add);
    }
    if (recs.isEmpty()) {
      System.out.println("  no experiment results were published");
      return;
    }
    org.lmrec.schema.ExperimentResult last = codec.decode(recs.get(recs.size() - 1).value());
    StringBuilder arms = new StringBuilder();
    for (org.lmrec.schema.ArmResult a : last.getArms()) {
      arms.append(String.format(Locale.ROOT, " %s: %,d users, %,d outcomes, hit rate %.4f;", a.getName(), a.getUsers(), a.getExposures(),
          a.getHitRate() == null ? Double.NaN : a.getHitRate()));
    }
    System.out.printf("  %d experiment results; the last (as of %s):%s SRM p %.3g%n", recs.size(), last.getAsOf(), arms, last.getSrmPValue());
  }

  // --- tail-latency levers ---------------------------------------------------------------

  /** One variant's settings on top of the benchmark's own, applied by {@link #scoringOptions} and {@link #startJob}. */
  private Map<String, String> variantFlink = Map.of();
  private Map<String, String> variantJob = Map.of();

  /**
   * The job's latency at one live rate under each of several settings, in rounds that alternate
   * the variants so that drift on a shared machine falls on all of them alike. Per variant and
   * round a fresh job first fills every user's state from a backlog (so reads and writes go to a
   * RocksDB that holds 20,000 windows, as in the scoring run), then serves live traffic at the rate.
   */
  private void leverRun(ModelKind kind, int items, Args a) throws Exception {
    double rate = Double.parseDouble(a.get("leverRate", "3000"));
    int warm = a.getInt("leverWarm", 200_000);
    int rounds = a.getInt("leverRounds", 2);
    List<String> variants = List.of(a.get("variants", "base").split(","));
    String name = kind.id() + "-" + items + "-latency";
    System.out.printf("%n--- %s: the job's latency at %.0f ev/s under %s, %d rounds ---%n", name, rate, variants, rounds);
    ModelArtifact model = writeModel(ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen).withSeed(7), items, name);
    Map<String, List<long[]>> results = new java.util.LinkedHashMap<>();
    List<long[]> kafka = new ArrayList<>();
    // The first job in this JVM runs while the JIT compiler is still at work: a discarded pass first.
    System.out.printf("%s warm-up (not counted): %s%n", name, leverLine(leverOnce(name + "-warm-up", model, items, rate, warm)));
    for (int round = 1; round <= rounds; round++) {
      for (String v : variants) {
        variantFlink = a.withPrefix("variant." + v + ".flink.");
        variantJob = a.withPrefix("variant." + v + ".job.");
        try {
          long[] r = leverOnce(name + "-" + v, model, items, rate, warm);
          results.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
          System.out.printf("%s round %d %-12s %s%n", name, round, v, leverLine(r));
        } finally {
          variantFlink = Map.of();
          variantJob = Map.of();
        }
      }
      Topics t = createTopics(name + "-kafka");
      long[] k = latencyRun(t.echo, t.echo, rate, new StreamTraffic(13, users, items, name + "-echo"), latencySeconds);
      kafka.add(new long[] {ThroughputWindow.percentile(k, 0.5), ThroughputWindow.percentile(k, 0.99)});
      System.out.printf("%s round %d Kafka alone: p50 %d ms, p99 %d ms%n", name, round, kafka.get(round - 1)[0], kafka.get(round - 1)[1]);
    }
    for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %-12s at %.0f ev/s %s", name, e.getKey(), rate,
          a.withPrefix("variant." + e.getKey() + ".")));
      for (int i = 0; i < e.getValue().size(); i++) {
        long[] r = e.getValue().get(i);
        line.append(String.format(Locale.ROOT, " | round %d: %s, p99 / Kafka's %.1f", i + 1, leverLine(r), r[1] / (double) Math.max(1, kafka.get(i)[1])));
      }
      System.out.println(line);
      report.add(line.toString());
    }
  }

  private static String leverLine(long[] r) {
    return String.format(Locale.ROOT, "end to end p50 %d p99 %d ms; inbound p99 %d; inside the job p50 %d p99 %d p99.9 %d max %d; outbound p99 %d;"
        + " checkpoints %d, longest %d ms, longest synchronous part of one subtask's %d ms; the backlog before it drained at %d ev/s",
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]);
  }

  /**
   * The longest synchronous part of any subtask's checkpoint in the job's checkpoint history (the
   * REST API keeps the last 10; the backlog's drain included), with its operator's name: the time that subtask's task thread stopped processing records for it
   * (for RocksDB, the memtable flush of the native checkpoint; for the write-behind caches, their flush).
   */
  private String longestSyncPhase(JobClient job, long[] millis) throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + restPort + "/jobs/" + job.getJobID();
    Map<String, String> names = new java.util.HashMap<>();
    for (JsonNode v : json.readTree(http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body()).path("vertices")) {
      names.put(v.path("id").asText(), v.path("name").asText());
    }
    long longest = 0;
    String where = "none";
    for (JsonNode c : checkpointStats(job).path("history")) {
      if (!"COMPLETED".equals(c.path("status").asText())) continue;
      for (String vertex : names.keySet()) {
        JsonNode d = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/checkpoints/details/" + c.path("id").asLong() + "/subtasks/" + vertex)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode st : d.path("subtasks")) {
          long sync = st.path("checkpoint").path("sync").asLong(0);
          if (sync > longest) {
            longest = sync;
            where = names.get(vertex);
          }
        }
      }
    }
    millis[0] = longest;
    return where;
  }

  /**
   * {e2e p50, e2e p99, inbound p99, inside p50, p99, p99.9, max, outbound p99, checkpoints completed, longest checkpoint ms,
   * longest synchronous part of a subtask's checkpoint ms, drain rate of the backlog that filled the state ev/s}.
   */
  private long[] leverOnce(String name, ModelArtifact model, int items, double rate, int warm) throws Exception {
    Topics t = createTopics(name);
    StreamTraffic traffic = new StreamTraffic(61, users, items, name);
    long base = System.currentTimeMillis() - 3_600_000L;
    produce(t.in, warm, i -> traffic.next(base + i));
    JobClient job = startJob(scoringOptions(t, model), null);
    try {
      long drainRate = Math.round(drainRate(consume(t.out, warm, Duration.ofMinutes(8))));
      long[] e2e = latencyRun(t.in, t.out, rate, traffic, latencySeconds);
      long[] inside = lastInternal;
      JsonNode checkpoints = checkpointStats(job);
      long[] sync = new long[1];
      String where = longestSyncPhase(job, sync);
      System.out.printf("  %s: longest synchronous checkpoint part %d ms in '%s'%n", name, sync[0], where);
      return new long[] {ThroughputWindow.percentile(e2e, 0.5), ThroughputWindow.percentile(e2e, 0.99),
          ThroughputWindow.percentile(lastInbound, 0.99), ThroughputWindow.percentile(inside, 0.5), ThroughputWindow.percentile(inside, 0.99),
          ThroughputWindow.percentile(inside, 0.999), ThroughputWindow.percentile(inside, 1.0), ThroughputWindow.percentile(lastOutbound, 0.99),
          checkpoints.path("counts").path("completed").asLong(-1), checkpoints.path("summary").path("end_to_end_duration").path("max").asLong(-1), sync[0], drainRate};
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  // --- user summaries ---------------------------------------------------------------------

  /**
   * What the extractive user summaries cost: the drain rate of one backlog with summaries off, on,
   * and off again (warm-up and drift show and neither side gets them alone), the refreshes per
   * second while on (from their refreshedAt, middle 80%), then the recommendation latency at a
   * fixed live rate with them off and on. Same seeded traffic, same job settings, one invocation.
   */
  private void summaryRun(ModelKind kind, int items, int backlog, int rate) throws Exception {
    String name = kind.id() + "-" + items + "-summaries";
    System.out.printf("%n--- %s: user summaries off vs on ---%n", name);
    ModelArtifact model = writeModel(ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen).withSeed(7), items, name);
    Path catalogue = writeCatalogue(items, name);
    double offBefore = drainWithSummaries(name + "-off", model, null, backlog, new StreamTraffic(29, users, items, name))[0];
    double[] on = drainWithSummaries(name + "-on", model, catalogue, backlog, new StreamTraffic(29, users, items, name));
    double offAfter = drainWithSummaries(name + "-off-again", model, null, backlog, new StreamTraffic(29, users, items, name))[0];
    long[][] offLatency = liveWithSummaries(name + "-live-off", model, null, rate, new StreamTraffic(31, users, items, name));
    long[][] onLatency = liveWithSummaries(name + "-live-on", model, catalogue, rate, new StreamTraffic(31, users, items, name));
    String line = String.format(Locale.ROOT,
        "%-24s drain: off %.0f ev/s (before and after: %.0f, %.0f), on %.0f ev/s -> ratio %.2f; %,.0f summaries of %,d events,"
            + " %.0f refreshes/s while draining | at %d ev/s: off p50 %d ms p99 %d ms (inside the job %d, %d), on p50 %d ms p99 %d ms"
            + " (inside %d, %d), %.0f refreshes/s",
        name, (offBefore + offAfter) / 2, offBefore, offAfter, on[0], on[0] / ((offBefore + offAfter) / 2), on[1], backlog, on[2], rate,
        ThroughputWindow.percentile(offLatency[0], 0.5), ThroughputWindow.percentile(offLatency[0], 0.99),
        ThroughputWindow.percentile(offLatency[1], 0.5), ThroughputWindow.percentile(offLatency[1], 0.99),
        ThroughputWindow.percentile(onLatency[0], 0.5), ThroughputWindow.percentile(onLatency[0], 0.99),
        ThroughputWindow.percentile(onLatency[1], 0.5), ThroughputWindow.percentile(onLatency[1], 0.99), onLatency[2][0] / 1000.0);
    System.out.println(line);
    report.add(line);
  }

  // --- LLM-TRSR re-rank --------------------------------------------------------------------

  /**
   * What re-ranking the SRS's top N with the LLM-TRSR ranker costs in the stream: the same seeded
   * traffic at the same live rate, one job each with re-rank off and at each N, in one invocation.
   * Users' histories are filled first with unscored VIEW events (so prompts carry a profile and
   * recent items, as for a returning user); the measured events are CLICKs. The budget is set far
   * above the cost so every request is re-ranked: this measures the cost, not the fallback.
   */
  private void rerankRun(ModelKind kind, int items, double rate, int events, int rerankUsers, String tops) throws Exception {
    String name = kind.id() + "-" + items + "-rerank";
    System.out.printf("%n--- %s: LLM-TRSR re-rank off vs top-N at %.2f ev/s ---%n", name, rate);
    ModelArtifact model = RerankArtifacts.write(work.resolve("models"), name + "-" + System.currentTimeMillis(),
        ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen).withSeed(7), items, org.lmrec.lm.LmCheckpoint.defaultMiniLm(), 43);
    List<Integer> ns = new ArrayList<>();
    ns.add(0);
    for (String n : tops.split(",")) ns.add(Integer.parseInt(n.trim()));
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s at %.2f ev/s, %d events (first 10%% dropped), %d users:", name, rate, events,
        rerankUsers));
    long offP99 = -1;
    for (int n : ns) {
      long[][] l = liveWithRerank(name + "-top" + n, model, n, rate, events, rerankUsers, items);
      long p50 = ThroughputWindow.percentile(l[0], 0.5);
      long p99 = ThroughputWindow.percentile(l[0], 0.99);
      if (n == 0) offP99 = p99;
      line.append(String.format(Locale.ROOT, " %s p50 %d ms p99 %d ms (inside the job %d, %d)%s;", n == 0 ? "off" : "top-" + n, p50, p99,
          ThroughputWindow.percentile(l[1], 0.5), ThroughputWindow.percentile(l[1], 0.99),
          n == 0 ? "" : String.format(Locale.ROOT, " -> extra p99 %+d ms", p99 - offP99)));
    }
    System.out.println(line);
    report.add(line.toString());
  }

  /** {end-to-end latencies, inside-the-job latencies} at a live rate with re-rank of the top {@code topN} (0 = off). */
  private long[][] liveWithRerank(String name, ModelArtifact model, int topN, double rate, int events, int rerankUsers, int items) throws Exception {
    Topics t = createTopics(name);
    Configuration o = scoringOptions(t, model);
    o.set(StreamingOptions.SCORED_EVENT_TYPES, List.of("CLICK"));
    o.set(StreamingOptions.RERANK_TOP_N, topN);
    o.set(StreamingOptions.RERANK_BUDGET, Duration.ofMinutes(10));
    // Histories first: 25 VIEWs per user, not scored.
    StreamTraffic views = new StreamTraffic(47, rerankUsers, items, name + "-views", org.lmrec.schema.EventType.VIEW);
    produce(t.in, rerankUsers * 25, i -> views.next(System.currentTimeMillis()));
    StreamTraffic clicks = new StreamTraffic(53, rerankUsers, items, name);
    JobClient job = startJob(o, null);
    // Warm-up: one click a second until a recommendation with items (the model and its ranker loaded) comes back.
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    try (KafkaConsumer<byte[], byte[]> warm = consumer("latest")) {
      readFromNowOn(warm, t.out);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      boolean served = false;
      while (!served && System.nanoTime() < deadline) {
        produce(t.in, 1, i -> clicks.next(System.currentTimeMillis()));
        for (ConsumerRecord<byte[], byte[]> r : warm.poll(Duration.ofSeconds(1))) served |= !codec.decode(r.value()).getItems().isEmpty();
      }
      if (!served) throw new IllegalStateException(name + ": no recommendation with items within 5 minutes");
      long quiet = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // the warm-up's requests still queued
      while (System.nanoTime() < quiet) warm.poll(Duration.ofMillis(500));
    }
    long[] latency = latencyRun(t.in, t.out, rate, clicks, (int) Math.ceil(events / rate), events);
    long[] internal = lastInternal;
    job.cancel().get(60, TimeUnit.SECONDS);
    return new long[][] {latency, internal};
  }

  /** A catalogue artifact for items i1..iN: seeded titles, categories, brands and 64-d embeddings. */
  private Path writeCatalogue(int items, String name) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(41);
    String[] categories = {"Pens", "Paper", "Desks", "Lamps", "Chairs", "Ink", "Folders", "Tape"};
    List<org.lmrec.summary.SummaryCatalogue.Entry> entries = new ArrayList<>(items);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= items; i++) {
      float[] e = new float[64];
      for (int d = 0; d < e.length; d++) e[d] = (float) r.nextGaussian();
      ids.add("i" + i);
      entries.add(new org.lmrec.summary.SummaryCatalogue.Entry("i" + i, "Item " + i + " " + categories[i % 8].toLowerCase(Locale.ROOT),
          Map.of("categories", categories[r.nextInt(8)], "brand", "Brand" + r.nextInt(40)), e));
    }
    org.lmrec.tensor.TensorMap weights = new org.lmrec.tensor.TensorMap();
    weights.put("item_embedding", new org.lmrec.tensor.Tensor(new float[(items + 1) * 2], items + 1, 2));
    org.lmrec.artifact.ArtifactWriter w = org.lmrec.artifact.ArtifactWriter.builder(work.resolve("catalogues"), name + "-" + System.currentTimeMillis(), "sasrec")
        .config(Map.of("numItems", items, "d", 2)).weights(weights).itemIds(ids)
        .trainingData(new TrainingDataInfo("benchmark catalogue", 0, items, 0, null, null, "benchmark"));
    org.lmrec.summary.SummaryCatalogue.toFiles(entries, 64, "bench:random").forEach(w::extraFile);
    return w.write().dir();
  }

  private Configuration summaryOptions(Topics t, ModelArtifact model, Path catalogue) {
    Configuration o = scoringOptions(t, model);
    if (catalogue != null) {
      o.set(StreamingOptions.SUMMARIES_ENABLED, true);
      o.set(StreamingOptions.SUMMARIES_CATALOGUE, catalogue.toString());
      o.set(StreamingOptions.SUMMARIES_TOPIC, t.echo); // the echo topic is otherwise unused here
    }
    return o;
  }

  /** {drain rate, summaries written, refreshes per second} for one backlog. */
  private double[] drainWithSummaries(String name, ModelArtifact model, Path catalogue, int backlog, StreamTraffic traffic) throws Exception {
    Topics t = createTopics(name);
    long base = System.currentTimeMillis() - 3_600_000L;
    produce(t.in, backlog, i -> traffic.next(base + i));
    JobClient job = startJob(summaryOptions(t, model, catalogue), null);
    List<ConsumerRecord<byte[], byte[]>> recs = consume(t.out, backlog, Duration.ofMinutes(8));
    double rate = drainRate(recs);
    long[] refreshed = catalogue == null ? new long[0] : summaryTimes(t.echo);
    job.cancel().get(60, TimeUnit.SECONDS);
    double refreshRate = refreshed.length >= 10 ? ThroughputWindow.eventsPerSecond(refreshed) : 0;
    System.out.printf("%s: %.0f events/s draining %,d; %,d summaries, %.0f refreshes/s%n", name, rate, backlog, refreshed.length, refreshRate);
    return new double[] {rate, refreshed.length, refreshRate};
  }

  /** {end-to-end latencies, inside-the-job latencies, {summaries written in milli-per-second}} at a live rate. */
  private long[][] liveWithSummaries(String name, ModelArtifact model, Path catalogue, int rate, StreamTraffic traffic) throws Exception {
    Topics t = createTopics(name);
    JobClient job = startJob(summaryOptions(t, model, catalogue), null);
    try (KafkaConsumer<byte[], byte[]> warm = consumer("latest")) {
      readFromNowOn(warm, t.out);
      produce(t.in, 200, i -> traffic.next(System.currentTimeMillis()), 100); // the job is up before the measured run
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      int seen = 0;
      while (seen < 200 && System.nanoTime() < deadline) seen += warm.poll(Duration.ofMillis(200)).count();
    }
    long[] latency = latencyRun(t.in, t.out, rate, traffic, latencySeconds);
    long[] internal = lastInternal;
    long[] refreshed = catalogue == null ? new long[0] : summaryTimes(t.echo);
    job.cancel().get(60, TimeUnit.SECONDS);
    long perSecond = refreshed.length >= 10 ? (long) (ThroughputWindow.eventsPerSecond(refreshed) * 1000) : 0;
    return new long[][] {latency, internal, {perSecond}};
  }

  /** The refreshedAt of every summary on {@code topic}, read until none came for 3 s. */
  private long[] summaryTimes(String topic) {
    AvroCodec<org.lmrec.schema.UserSummaryUpdate> codec = AvroCodec.of(org.lmrec.schema.UserSummaryUpdate.class);
    List<Long> times = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer("earliest")) {
      c.subscribe(List.of(topic));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
        var batch = c.poll(Duration.ofMillis(200));
        if (!batch.isEmpty()) quietSince = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : batch) times.add(codec.decode(r.value()).getRefreshedAt());
      }
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  // --- hot swap ---------------------------------------------------------------------------

  /**
   * Announcement to first recommendation by the new version, {@code swaps} times, under live
   * traffic at 200 events/s (so a recommendation leaves the job every 5 ms or so): the wall time
   * from just before the announcement is sent to (a) the producedAt of the first
   * recommendation by the new version, inside the job, and (b) the moment the consumer reads it.
   * Each new version is a fresh artifact of the same shape, so the swap includes reading and
   * checking every file and building the serving model.
   */
  private void swapRun(ModelKind kind, int items, int swaps) throws Exception {
    String name = kind.id() + "-" + items + "-swap";
    System.out.printf("%n--- %s: %d swaps under live traffic ---%n", name, swaps);
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen);
    ModelArtifact first = writeModel(cfg.withSeed(100), items, name);
    Topics t = createTopics(name);
    JobClient job = startJob(scoringOptions(t, first), null);
    StreamTraffic traffic = new StreamTraffic(19, users, items, name);
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread producer = new Thread(() -> {
      try {
        while (!stop.get()) produce(t.in, 2_000, i -> traffic.next(System.currentTimeMillis()), 200); // 10 s per producer
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, "bench-swap-producer");
    List<Long> inJob = new ArrayList<>();
    List<Long> atConsumer = new ArrayList<>();
    Map<String, Object> props = clientConfig(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", "true"));
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("latest");
        KafkaProducer<byte[], byte[]> announcer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      readFromNowOn(consumer, t.out);
      producer.start();
      waitForVersion(consumer, codec, first.version(), Duration.ofMinutes(2)); // the job is up and serving
      for (int s = 1; s <= swaps; s++) {
        ModelArtifact next = writeModel(cfg.withSeed(100 + s), items, name + "-v" + (s + 1));
        Thread.sleep(2_000); // steady traffic before the announcement
        long announced = System.currentTimeMillis(); // just before sending: the job may read it before the ack returns
        org.lmrec.flink.announce.ModelUpdates.send(announcer, t.models, next, signer());
        long[] seen = waitForVersion(consumer, codec, next.version(), Duration.ofMinutes(2));
        inJob.add(seen[0] - announced);
        atConsumer.add(seen[1] - announced);
        System.out.printf("  swap %d to %s: first recommendation produced %d ms, read %d ms after the announcement%n",
            s, next.version(), seen[0] - announced, seen[1] - announced);
      }
    } finally {
      stop.set(true);
      producer.join();
      job.cancel().get(60, TimeUnit.SECONDS);
    }
    long[] job1 = inJob.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] cons = atConsumer.stream().mapToLong(Long::longValue).sorted().toArray();
    String line = String.format(Locale.ROOT,
        "%-22s announcement -> first recommendation by the new version (%d swaps at 200 ev/s): produced in the job median %d ms (min %d, max %d);"
            + " read by a consumer median %d ms (min %d, max %d)",
        name, swaps, job1[job1.length / 2], job1[0], job1[job1.length - 1], cons[cons.length / 2], cons[0], cons[cons.length - 1]);
    System.out.println(line);
    report.add(line);
  }

  /** Polls until a recommendation by {@code version} arrives: {its producedAt, the time it was read}. */
  private static long[] waitForVersion(KafkaConsumer<byte[], byte[]> consumer, AvroCodec<Recommendation> codec, String version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
        Recommendation rec = codec.decode(r.value());
        if (rec.getModelVersion().equals(version)) return new long[] {rec.getProducedAt().toEpochMilli(), System.currentTimeMillis()};
      }
    }
    throw new IllegalStateException("no recommendation by " + version + " within " + timeout);
  }

  /** Events per second over the middle 80% of the recommendations' emission times (their producedAt). */
  private static double drainRate(List<ConsumerRecord<byte[], byte[]>> recommendations) {
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    long[] produced = new long[recommendations.size()];
    for (int i = 0; i < produced.length; i++) produced[i] = codec.decode(recommendations.get(i).value()).getProducedAt().toEpochMilli();
    return ThroughputWindow.eventsPerSecond(produced);
  }

  /** Job-internal latencies (arrival in the job to emission) of the last latency run through the job. */
  private long[] lastInternal = new long[0];
  /** Event created -> decoded by the job, and emitted by the job -> read by the consumer, of the same run. */
  private long[] lastInbound = new long[0];
  private long[] lastOutbound = new long[0];

  private long[] latencyRun(String in, String out, double rate, StreamTraffic traffic, int seconds) throws Exception {
    return latencyRun(in, out, rate, traffic, seconds, (int) Math.max(200, rate * seconds));
  }

  /** Latencies of {@code n} events sent at {@code rate}, waiting at most 3 x {@code seconds} + 60 s for their recommendations. */
  private long[] latencyRun(String in, String out, double rate, StreamTraffic traffic, int seconds, int n) throws Exception {
    List<Long> latencies = new ArrayList<>(n);
    List<Long> internal = new ArrayList<>(n);
    List<Long> inbound = new ArrayList<>(n);
    List<Long> outbound = new ArrayList<>(n);
    AvroCodec<Recommendation> recCodec = AvroCodec.of(Recommendation.class);
    Thread producer = new Thread(() -> {
      try {
        produce(in, n, i -> traffic.next(System.currentTimeMillis()), rate);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, "bench-producer");
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("latest")) {
      readFromNowOn(consumer, out);
      producer.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds * 3L + 60).toNanos();
      while (latencies.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          // Both paths stamp the record with the event's send time: the job copies the event time.
          latencies.add(System.currentTimeMillis() - r.timestamp());
          if (!in.equals(out)) {
            long now = System.currentTimeMillis();
            Recommendation rec = recCodec.decode(r.value());
            long produced = rec.getProducedAt().toEpochMilli();
            internal.add(rec.getLatencyMillis());
            inbound.add(produced - rec.getLatencyMillis() - r.timestamp()); // event created -> decoded by the job
            outbound.add(now - produced); // emitted by the job -> read by the consumer
          }
        }
      }
    }
    producer.join();
    // Drop the first 10%: consumer fetch sessions and JIT warm up.
    List<Long> steady = latencies.subList(latencies.size() / 10, latencies.size());
    if (!in.equals(out)) {
      lastInternal = internal.subList(internal.size() / 10, internal.size()).stream().mapToLong(Long::longValue).toArray();
      long[] inb = inbound.subList(inbound.size() / 10, inbound.size()).stream().mapToLong(Long::longValue).toArray();
      long[] outb = outbound.subList(outbound.size() / 10, outbound.size()).stream().mapToLong(Long::longValue).toArray();
      lastInbound = inb;
      lastOutbound = outb;
      System.out.printf("  at %s ev/s: producer+Kafka+source p50 %d p99 %d ms | inside the job p50 %d p99 %d ms | sink+Kafka+consumer p50 %d p99 %d ms%n",
          java.math.BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString(), ThroughputWindow.percentile(inb, 0.5), ThroughputWindow.percentile(inb, 0.99),
          ThroughputWindow.percentile(lastInternal, 0.5), ThroughputWindow.percentile(lastInternal, 0.99),
          ThroughputWindow.percentile(outb, 0.5), ThroughputWindow.percentile(outb, 0.99));
    }
    return steady.stream().mapToLong(Long::longValue).toArray();
  }

  // --- ingest only ------------------------------------------------------------------------

  private void ingestRun(int events) throws Exception {
    System.out.printf("%n--- ingest only (validation + state update, no scoring): %,d events ---%n", events);
    Topics t = createTopics("ingest");
    StreamTraffic traffic = new StreamTraffic(17, users, 3000, "ingest");
    long base = System.currentTimeMillis() - 3_600_000L;
    produce(t.in, events, i -> traffic.next(base + i));
    Configuration options = scoringOptions(t, null);
    options.set(StreamingOptions.SCORED_EVENT_TYPES, List.of("NONE"));
    options.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(5));
    CompletionTimes.reset(events);
    JobClient job = startJob(options, new CompletionTimes<>());
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (CompletionTimes.count.get() < events && System.nanoTime() < deadline) Thread.sleep(200);
    double rate = ThroughputWindow.eventsPerSecond(CompletionTimes.snapshot());
    Thread.sleep(7_000); // let a checkpoint complete after the last event, to read the state size
    long stateBytes = latestCheckpointStateSize(job);
    job.cancel().get(60, TimeUnit.SECONDS);

    long serialized = serializedStateBytes();
    String line = String.format(Locale.ROOT,
        "ingest only     %7.0f ev/s (target >= 50,000) | state: %,d B serialized per user with %d items; "
            + "checkpoint %,d B for %,d users = %,d B per user on disk (RocksDB, incremental)",
        rate, serialized, maxLen, stateBytes, users, stateBytes / users);
    System.out.println(line);
    report.add(line);
  }

  // --- plumbing ---------------------------------------------------------------------------

  private record Topics(String in, String out, String dlq, String models, String echo) {}

  private Topics createTopics(String name) throws Exception {
    String p = "bench-" + System.currentTimeMillis() + "-" + (++runCounter) + "-" + name;
    Topics t = new Topics(p + "-in", p + "-out", p + "-dlq", p + "-models", p + "-echo");
    try (Admin admin = Admin.create(clientConfig(Map.of("bootstrap.servers", bootstrap)))) {
      admin.createTopics(List.of(
          new NewTopic(t.in, 2, (short) 1), new NewTopic(t.out, 2, (short) 1), new NewTopic(t.dlq, 1, (short) 1),
          new NewTopic(t.models, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")), new NewTopic(t.echo, 2, (short) 1)))
          .all().get();
    }
    return t;
  }

  private Configuration scoringOptions(Topics t, ModelArtifact model) {
    Configuration o = new Configuration();
    o.set(StreamingOptions.BOOTSTRAP_SERVERS, bootstrap);
    kafkaClient.writeTo(o);
    o.set(StreamingOptions.INTERACTIONS_TOPIC, t.in);
    o.set(StreamingOptions.RECOMMENDATIONS_TOPIC, t.out);
    o.set(StreamingOptions.DEAD_LETTERS_TOPIC, t.dlq);
    o.set(StreamingOptions.MODEL_UPDATES_TOPIC, t.models);
    o.set(StreamingOptions.CONSUMER_GROUP, t.in + "-job");
    o.set(StreamingOptions.SEQUENCE_LENGTH, maxLen);
    o.set(StreamingOptions.PARALLELISM, 2);
    o.set(StreamingOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toUri().toString());
    o.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(checkpointSeconds));
    // The backlog has old event times; the watermark must not turn the latency phase's events late.
    o.set(StreamingOptions.ALLOWED_LATENESS, Duration.ofDays(1));
    if (model != null) o.set(StreamingOptions.INITIAL_MODEL, model.dir().toString());
    signer(); // the job trusts the key that signs the benchmark's announcements
    o.set(StreamingOptions.TRUSTED_KEYS, List.of(work.resolve("keys").resolve(BENCH_KEY + org.lmrec.flink.announce.AnnouncementKeys.PUBLIC_SUFFIX).toString()));
    jobExtra.forEach(o::setString);
    variantJob.forEach(o::setString);
    return o;
  }

  private static final String BENCH_KEY = "bench";
  private org.lmrec.flink.announce.AnnouncementSigner signer;

  /** The benchmark's signing key in WORK/keys, from a fixed seed on first use: the same key every run. */
  private org.lmrec.flink.announce.AnnouncementSigner signer() {
    if (signer != null) return signer;
    Path key = work.resolve("keys").resolve(BENCH_KEY + org.lmrec.flink.announce.AnnouncementKeys.PRIVATE_SUFFIX);
    if (!Files.exists(key)) {
      try {
        java.security.SecureRandom seeded = java.security.SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(20_261_205L);
        org.lmrec.flink.announce.AnnouncementKeys.generate(work.resolve("keys"), BENCH_KEY, seeded);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    signer = org.lmrec.flink.announce.AnnouncementSigner.fromFile(key);
    return signer;
  }

  /** The MiniCluster's REST port (restPort=, default 18081). */
  private int restPort = 18081;

  private JobClient startJob(Configuration options, CompletionTimes<org.lmrec.schema.InteractionEvent> archive) throws Exception {
    Configuration flink = StreamingJob.flinkSettings(options);
    flink.setString("taskmanager.memory.managed.size", "512m");
    flink.setString("taskmanager.numberOfTaskSlots", "2");
    flink.setString("rest.port", String.valueOf(restPort));
    flink.setString("io.tmp.dirs", Files.createDirectories(work.resolve("tmp")).toString());
    flinkExtra.forEach(flink::setString);
    variantFlink.forEach(flink::setString);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    StreamingJob.Endpoints kafka = KafkaEndpoints.from(options);
    StreamingJob.Endpoints endpoints = archive == null
        ? new StreamingJob.Endpoints(kafka.interactions(), kafka.modelUpdates(), kafka.recommendations(), kafka.deadLetters(), null,
            kafka.experiments(), kafka.exposures(), kafka.experimentResults(), kafka.summaries())
        : new StreamingJob.Endpoints(kafka.interactions(), kafka.modelUpdates(), new DiscardingSink<>(), new DiscardingSink<>(), archive);
    new StreamingJob(options, endpoints).build(env);
    return env.executeAsync("lmrec streaming benchmark");
  }

  private ModelArtifact writeModel(ModelConfig cfg, int items, String version) {
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= items; i++) ids.add("i" + i);
    return UntrainedModels.write(work.resolve("models"), version + "-" + System.currentTimeMillis(), cfg, ids,
        new TrainingDataInfo("untrained benchmark model", 0, items, 0, null, null, "benchmark"));
  }

  interface EventSource {
    byte[][] next(int i);
  }

  private void produce(String topic, int n, EventSource source) throws Exception {
    produce(topic, n, source, 0);
  }

  /** Sends n events, paced at {@code rate} per second when positive. */
  private void produce(String topic, int n, EventSource source, double rate) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    // Batching like a real producer: with linger 0 every event is its own request, and on two
    // shared cores the broker then spends more CPU on requests than the job on scoring. The same
    // setting applies to the Kafka-alone baseline.
    p.put("linger.ms", rate > 0 ? "5" : "10");
    p.put("acks", "1");
    kafkaClient.addTo(p);
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < n; i++) {
        if (rate > 0) {
          long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        byte[][] kv = source.next(i);
        // The record timestamp is the send time: the latency both paths report starts here.
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), kv[0], kv[1]));
      }
      producer.flush();
    }
  }

  /** A client's own settings plus the kafka-properties=FILE ones. */
  private Map<String, Object> clientConfig(Map<String, Object> own) {
    return kafkaClient.addTo(new java.util.HashMap<>(own));
  }

  /** Subscribes and skips what the topic already holds, so only records produced from now on are read. */
  private static void readFromNowOn(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    consumer.subscribe(List.of(topic));
    while (consumer.assignment().isEmpty()) consumer.poll(Duration.ofMillis(100));
    consumer.seekToEnd(consumer.assignment());
    consumer.assignment().forEach(consumer::position);
  }

  private KafkaConsumer<byte[], byte[]> consumer(String reset) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "bench-reader-" + System.nanoTime());
    p.put("auto.offset.reset", reset);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("fetch.max.wait.ms", "5");
    kafkaClient.addTo(p);
    return new KafkaConsumer<>(p);
  }

  private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int n, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(n);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = consumer("earliest")) {
      c.subscribe(List.of(topic));
      while (out.size() < n && System.nanoTime() < deadline) c.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    if (out.size() < n) throw new IllegalStateException("only " + out.size() + " of " + n + " recommendations within " + timeout);
    return out;
  }

  /** The catalogue product of a 64-user micro-batch, timed in this run: the serving kernel's FLOP rate on both cores. */
  private double matmulGflops(int items) throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    float[] table = new float[(items + 1) * dim];
    for (int i = dim; i < table.length; i++) table[i] = (float) r.nextGaussian();
    ItemCatalogue catalogue = new ItemCatalogue(table, items, dim);
    float[][] usersBatch = new float[64][dim];
    for (float[] u : usersBatch) for (int c = 0; c < dim; c++) u[c] = (float) r.nextGaussian();
    int threads = 2;
    double[] best = new double[threads];
    Thread[] workers = new Thread[threads];
    for (int w = 0; w < threads; w++) {
      int id = w;
      workers[w] = new Thread(() -> {
        for (int rep = 0; rep < 30; rep++) {
          long t0 = System.nanoTime();
          catalogue.scores(usersBatch);
          double s = (System.nanoTime() - t0) / 1e9;
          best[id] = Math.max(best[id], 2.0 * 64 * items * dim / s / 1e9);
        }
      });
      workers[w].start();
    }
    for (Thread w : workers) w.join();
    double sum = 0;
    for (double b : best) sum += b;
    return sum;
  }

  private long latestCheckpointStateSize(JobClient job) throws Exception {
    return checkpointStats(job).path("latest").path("completed").path("state_size").asLong(-1);
  }

  /** The job's checkpoint statistics from the MiniCluster's REST API (counts, summary, latest). */
  private JsonNode checkpointStats(JobClient job) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/jobs/" + job.getJobID() + "/checkpoints")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  /** Bytes of one user's state as the job's window serializer writes it, with a full window of realistic ids. */
  private long serializedStateBytes() throws Exception {
    UserSequence s = new UserSequence(maxLen);
    for (int i = 0; i < maxLen; i++) s.add("i" + (1000 + i * 37), 1_763_000_000_000L + i * 60_000L, org.lmrec.stream.state.EventIdHash.of("event-" + i));
    UserSequenceState state = s.toState();
    TypeSerializer<UserSequenceState> serializer = new org.lmrec.stream.state.UserSequenceStateSerializer();
    DataOutputSerializer out = new DataOutputSerializer(4096);
    serializer.serialize(state, out);
    return out.length();
  }
}
