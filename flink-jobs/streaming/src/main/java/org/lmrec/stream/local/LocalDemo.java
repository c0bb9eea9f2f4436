package org.lmrec.stream.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.job.KafkaEndpoints;
import org.lmrec.stream.job.StreamingJob;
import org.lmrec.flink.kafka.KafkaClientOptions;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.flink.announce.AnnouncementKeys;
import org.lmrec.flink.announce.AnnouncementSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The local demo that {@code deploy/local/run.sh} starts: the streaming job on a local MiniCluster
 * (RocksDB, web UI) against a running broker, a synthetic interaction stream replayed into the
 * input topic, and the recommendations coming back, printed as they arrive. Ctrl-C stops it all.
 */
@Command(name = "lmrec-local", mixinStandardHelpOptions = true, subcommands = {LocalDemo.FindModel.class, LocalDemo.Keys.class},
    description = "Runs the streaming job locally against a Kafka broker and replays synthetic traffic into it.")
public final class LocalDemo implements Callable<Integer> {
  /** Where the job writes each look at the demo's A/B test (run.sh creates it). */
  static final String AB_RESULTS_TOPIC = "lmrec.experiment-results";

  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

  @Option(names = "--model", description = "Artifact directory to serve (required unless a subcommand is given).")
  Path model;

  @Option(names = "--work-dir", defaultValue = "runs/local", description = "Checkpoints and the archive go here (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--keys-dir", description = "Key pair that signs the demo's model announcements, created on first run "
      + "(default: WORK-DIR/keys); the job trusts its public key.")
  Path keysDir;

  @Option(names = "--rate", defaultValue = "200", description = "Events per second replayed (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--web-port", defaultValue = "8081", description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}).")
  int webPort;

  @Option(names = "--synthetic-users", defaultValue = "2000", description = "Users of the replayed synthetic dataset; must match the model's (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--synthetic-items", defaultValue = "1000", description = "Items of the replayed synthetic dataset (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--data-seed", defaultValue = "42", description = "Seed of the replayed synthetic dataset (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(names = "--external-job", description = "The job already runs elsewhere (a Flink cluster, deploy/standalone/run.sh): "
      + "only announce the model, replay the traffic and print the recommendations.")
  boolean externalJob;

  @Option(names = "--web-url", description = "With --external-job: the cluster's web UI, printed at start.")
  String webUrl;

  @Option(names = "--model-uri", description = "Where the job reads --model from, announced instead of the local path "
      + "(e.g. s3://lmrec/models/VERSION when the job runs on a cluster).")
  String modelUri;

  @Option(names = "--started-at-ms", description = "When the whole run started (epoch ms, e.g. from run.sh): the first "
      + "recommendation's line says how long after it came.")
  Long startedAtMs;

  @Option(names = "--summaries", description = "Keep each user's preference summary fresh in the job (LLM-TRSR, recurrent, "
      + "extractive backend; lmrec.summaries.*) and print a few as they refresh. Needs a model with a summary catalogue.")
  boolean summaries;

  @Option(names = "--summaries-gguf", paramLabel = "FILE", description = "With --summaries: summarise with this GGUF checkpoint, run "
      + "in-process by llama.cpp (lmrec.summaries.backend=gguf; deploy/local/run.sh puts the optional summary-gguf module on the "
      + "classpath), instead of the extractive default.")
  Path summariesGguf;

  @Option(names = "--garbage-every", defaultValue = "500", description = "Also send one undecodable record every N events, to show the dead-letter path (0 = never).")
  int garbageEvery;

  @Option(names = "--ab-model", paramLabel = "DIR", description = "Run a live A/B test: --model (arm control) against this model "
      + "(announced on its own line, the arm named by its kind), 50/50 over every user; print each look as it arrives on the results "
      + "topic and keep the report (JSON, PNG) in WORK-DIR/experiments.")
  Path abModel;

  @Option(names = "--ab-look-interval", defaultValue = "20s", converter = FlinkDuration.class, description = "With --ab-model: event time between two looks at the "
      + "experiment (default: ${DEFAULT-VALUE}).")
  Duration abLookInterval;

  @Option(names = "--artifact-root", paramLabel = "DIR", description = "Another folder announced models may be loaded from, "
      + "besides --model's (e.g. the retraining's store); repeatable.")
  List<Path> artifactRoots = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "0s", converter = FlinkDuration.class, description = "Stop on its own after this long, e.g. 5m (default: 0s, "
      + "until Ctrl-C).")
  Duration duration;

  @Option(names = "--stop-after-swap", converter = FlinkDuration.class, description = "Stop this long after the served model version changes (a retrained "
      + "model swapped in), e.g. 20s.")
  Duration stopAfterSwap;

  public static void main(String[] args) {
    // run.sh puts its per-mode defaults (e.g. --duration) first, so that the user's own options win.
    System.exit(new CommandLine(new LocalDemo()).setOverwrittenOptionsAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (model == null) throw new CommandLine.ParameterException(new CommandLine(this), "Missing required option: '--model'");
    KafkaClientProperties kafka = kafkaClient.properties();
    ModelArtifact artifact = ArtifactReader.verify(model);
    Dataset dataset = SyntheticDataGenerator.generateDataset(
        SyntheticConfig.defaults().withUsers(users).withItems(items).withSeed(dataSeed));
    Map<String, String> titles = new HashMap<>();
    for (int i = 1; i <= dataset.numItems(); i++) titles.put(dataset.itemId(i), dataset.itemAttributes(i).getOrDefault("title", dataset.itemId(i)));

    Configuration options = new Configuration();
    options.set(StreamingOptions.BOOTSTRAP_SERVERS, bootstrap);
    options.set(StreamingOptions.INITIAL_MODEL, model.toAbsolutePath().toString());
    options.set(StreamingOptions.ARCHIVE_PATH, workDir.resolve("archive").toAbsolutePath().toUri().toString());
    options.set(StreamingOptions.CHECKPOINT_DIR, workDir.resolve("checkpoints").toAbsolutePath().toUri().toString());
    options.set(StreamingOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(10));
    options.set(StreamingOptions.CONSUMER_GROUP, "lmrec-local-demo");
    kafka.writeTo(options);
    if (summaries) {
      if (org.lmrec.summary.SummaryCatalogue.listedIn(artifact.manifest())) {
        options.set(StreamingOptions.SUMMARIES_ENABLED, true);
        if (summariesGguf != null) {
          if (!Files.isRegularFile(summariesGguf)) throw new IllegalArgumentException("--summaries-gguf: no file " + summariesGguf);
          options.set(StreamingOptions.SUMMARIES_BACKEND, "gguf");
          options.set(StreamingOptions.SUMMARIES_GGUF_MODEL, summariesGguf.toAbsolutePath().toString());
        }
      } else {
        System.err.println("--summaries: " + model + " has no summary catalogue (train a new model: ./lmrec train); running without summaries");
        summaries = false;
      }
    }
    DemoSigner signer = demoSigner(keysDir != null ? keysDir : workDir.resolve("keys"));
    options.set(StreamingOptions.TRUSTED_KEYS, List.of(signer.publicKeyFile().toAbsolutePath().toString()));
    if (!artifactRoots.isEmpty()) {
      List<String> roots = new ArrayList<>(List.of(model.toAbsolutePath().getParent().toString()));
      for (Path root : artifactRoots) roots.add(Files.createDirectories(root).toAbsolutePath().toString());
      options.set(StreamingOptions.ARTIFACT_ROOTS, roots);
    }
    ModelArtifact treatment = abModel == null ? null : ArtifactReader.verify(abModel);
    org.lmrec.experiment.Experiment experiment = null;
    if (treatment != null) {
      experiment = DemoExperiment.of(treatment.modelKind(), Instant.now());
      options.set(StreamingOptions.EXPERIMENTS_FILE, DemoExperiment.write(experiment, workDir.resolve("experiments")).toAbsolutePath().toString());
      options.set(StreamingOptions.EXPERIMENT_RESULTS_TOPIC, AB_RESULTS_TOPIC);
      options.set(StreamingOptions.EXPERIMENT_REPORT_DIR, workDir.resolve("experiments").toAbsolutePath().toString());
      options.set(StreamingOptions.LOOK_INTERVAL, abLookInterval);
      // A user who never comes back closes as a miss after 2 minutes, not the default 30: the demo is short.
      options.set(StreamingOptions.OUTCOME_HORIZON_TIME, Duration.ofMinutes(2));
    }
    AtomicBoolean running = new AtomicBoolean(true);
    if (externalJob) {
      System.out.printf("%nFlink web UI: %s   (the job runs on the cluster)%nserving %s (%s, %d items)%n%n",
          webUrl != null ? webUrl : "-", artifact.version(), artifact.modelKind(), artifact.manifest().numItems());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false), "lmrec-demo-shutdown"));
    } else {
      Configuration flink = StreamingJob.flinkSettings(options);
      flink.setString("rest.port", String.valueOf(webPort));
      flink.setString("rest.bind-address", "127.0.0.1");
      flink.setString("taskmanager.memory.managed.size", "256m");
      flink.setString("taskmanager.numberOfTaskSlots", "2");
      flink.setString("io.tmp.dirs", Files.createDirectories(workDir.resolve("tmp")).toAbsolutePath().toString());

      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
      new StreamingJob(options, KafkaEndpoints.from(options)).build(env);
      JobClient job = env.executeAsync("lmrec streaming recommendations (local demo)");
      System.out.printf("%nFlink web UI: http://127.0.0.1:%d   job %s%nserving %s (%s, %d items)%n%n",
          webPort, job.getJobID(), artifact.version(), artifact.modelKind(), artifact.manifest().numItems());

      Thread shutdown = new Thread(() -> {
        running.set(false);
        System.out.println("\nstopping: cancelling the job ...");
        try {
          job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("job did not cancel cleanly: " + e);
        }
      }, "lmrec-demo-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdown);
    }

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.addTo(producerProps()))) {
      if (modelUri != null) {
        org.lmrec.flink.announce.ModelUpdates.sendAt(producer, options.get(StreamingOptions.MODEL_UPDATES_TOPIC), artifact, modelUri, signer.signer());
      } else {
        org.lmrec.flink.announce.ModelUpdates.send(producer, options.get(StreamingOptions.MODEL_UPDATES_TOPIC), artifact, signer.signer());
      }
      if (treatment != null) {
        String line = DemoExperiment.treatmentLine(treatment.modelKind());
        org.lmrec.flink.announce.ModelUpdates.send(producer, options.get(StreamingOptions.MODEL_UPDATES_TOPIC), treatment, line, signer.signer());
        System.out.printf("A/B test %s: arm control = %s, arm %s = %s, 50/50 over every user; a look every %s of event time,%n"
            + "    the report (JSON, PNG) in %s%n%n", experiment.id(), artifact.version(), line, treatment.version(),
            org.apache.flink.util.TimeUtils.formatWithHighestUnit(abLookInterval), workDir.resolve("experiments").toAbsolutePath());
      }
      Thread replay = new Thread(() -> replay(producer, new SyntheticStream(dataset, "demo-" + System.currentTimeMillis()),
          options.get(StreamingOptions.INTERACTIONS_TOPIC), running), "lmrec-demo-replay");
      replay.setDaemon(true);
      replay.start();
      watch(options, kafka, titles, running, experiment, artifact.version());
      // Stopped on its own (--duration, --stop-after-swap): the replay must stop sending before the producer closes.
      running.set(false);
      replay.join(5000);
    }
    return 0;
  }

  /** The demo's signing key and the public key file the job trusts. */
  record DemoSigner(AnnouncementSigner signer, Path publicKeyFile) {}

  /**
   * The key pair in {@code dir}: the first {@code *.key} there with its {@code .pub}, or a new pair
   * on first run (the private file readable by its owner only).
   */
  static DemoSigner demoSigner(Path dir) throws java.io.IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        Optional<Path> key = files.filter(f -> f.getFileName().toString().endsWith(AnnouncementKeys.PRIVATE_SUFFIX)).sorted().findFirst();
        if (key.isPresent()) {
          String id = AnnouncementKeys.keyIdOf(key.get());
          return new DemoSigner(AnnouncementSigner.fromFile(key.get()), dir.resolve(id + AnnouncementKeys.PUBLIC_SUFFIX));
        }
      }
    }
    AnnouncementKeys.KeyPairFiles created = AnnouncementKeys.generate(dir, null, new java.security.SecureRandom());
    System.err.printf("created the key pair %s that signs model announcements: %s (private), %s (trusted by the job)%n",
        created.keyId(), created.privateKey(), created.publicKey());
    return new DemoSigner(AnnouncementSigner.fromFile(created.privateKey()), created.publicKey());
  }

  private Properties producerProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "5");
    return p;
  }

  private void replay(KafkaProducer<byte[], byte[]> producer, SyntheticStream stream, String topic, AtomicBoolean running) {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    long start = System.nanoTime();
    while (running.get()) {
      long due = start + (long) (stream.emitted() * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      InteractionEvent e = stream.next(System.currentTimeMillis());
      producer.send(new ProducerRecord<>(topic, e.getUserId().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
      if (garbageEvery > 0 && stream.emitted() % garbageEvery == 0) {
        producer.send(new ProducerRecord<>(topic, null, ("not avro #" + stream.emitted()).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  /** Prints a status line and one example every few seconds. */
  private void watch(Configuration options, KafkaClientProperties kafka, Map<String, String> titles, AtomicBoolean running,
      org.lmrec.experiment.Experiment experiment, String servedVersion) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "lmrec-local-demo-viewer-" + System.currentTimeMillis());
    p.put("auto.offset.reset", "latest");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    kafka.addTo(p);
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    long recs = 0;
    long deadLetters = 0;
    List<Long> latencies = new ArrayList<>();
    long nextReport = System.currentTimeMillis() + 3000;
    Recommendation example = null;
    AvroCodec<org.lmrec.schema.UserSummaryUpdate> summaryCodec = AvroCodec.of(org.lmrec.schema.UserSummaryUpdate.class);
    String summaryTopic = options.get(StreamingOptions.SUMMARIES_TOPIC);
    long summaryCount = 0;
    long summariesAtLastReport = 0;
    // Newest summary per user among those refreshed since the last report, to print a few.
    java.util.LinkedHashMap<String, org.lmrec.schema.UserSummaryUpdate> refreshed = new java.util.LinkedHashMap<>();
    long stopAt = duration.isZero() ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
    // The version serving users outside any experiment: a change is a swap (a retrained model announced).
    SwapWatch swaps = new SwapWatch(servedVersion);
    String stopReason = "--duration " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(duration) + " is up";
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        AbResultsPrinter ab = experiment == null ? null : new AbResultsPrinter(bootstrap, kafka, AB_RESULTS_TOPIC, experiment.id())) {
      List<String> topics = new ArrayList<>(List.of(options.get(StreamingOptions.RECOMMENDATIONS_TOPIC), options.get(StreamingOptions.DEAD_LETTERS_TOPIC)));
      if (summaries) topics.add(summaryTopic);
      consumer.subscribe(topics);
      while (running.get() && System.currentTimeMillis() < stopAt) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          if (r.topic().equals(options.get(StreamingOptions.DEAD_LETTERS_TOPIC))) {
            deadLetters++;
            continue;
          }
          if (r.topic().equals(summaryTopic)) {
            summaryCount++;
            org.lmrec.schema.UserSummaryUpdate u = summaryCodec.decode(r.value());
            refreshed.remove(u.getUserId());
            refreshed.put(u.getUserId(), u);
            continue;
          }
          Recommendation rec = codec.decode(r.value());
          if (recs++ == 0 && startedAtMs != null) {
            System.out.printf("first recommendation %.1f s after the start%n", (System.currentTimeMillis() - startedAtMs) / 1000.0);
          }
          // The record timestamp is the triggering event's time, which the replay sets to its send time.
          latencies.add(System.currentTimeMillis() - r.timestamp());
          if (!rec.getItems().isEmpty()) example = rec;
          Optional<String> swappedFrom = rec.getExperimentId() == null ? swaps.observe(rec.getModelVersion()) : Optional.empty();
          if (swappedFrom.isPresent()) {
            System.out.printf("%s  MODEL SWAPPED: %s -> %s (the first recommendation by the new version; %,d recommendations so far)%n",
                AbResultsPrinter.HH_MM_SS.format(LocalTime.now()), swappedFrom.get(), rec.getModelVersion(), recs);
            if (stopAfterSwap != null && System.currentTimeMillis() + stopAfterSwap.toMillis() < stopAt) {
              stopAt = System.currentTimeMillis() + stopAfterSwap.toMillis();
              stopReason = org.apache.flink.util.TimeUtils.formatWithHighestUnit(stopAfterSwap) + " after the swap (--stop-after-swap)";
            }
          }
        }
        if (ab != null) {
          for (String line : ab.poll(Duration.ZERO)) System.out.printf("%s  %s%n", AbResultsPrinter.HH_MM_SS.format(LocalTime.now()), line);
        }
        if (System.currentTimeMillis() >= nextReport) {
          nextReport += 3000;
          long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
          latencies.clear();
          System.out.printf("%s  recommendations %,d  dead letters %,d  end-to-end latency p50 %s, p99 %s%n",
              LocalTime.now().truncatedTo(ChronoUnit.SECONDS), recs, deadLetters, pct(sorted, 0.5), pct(sorted, 0.99));
          if (example != null) {
            List<String> shown = example.getItems().stream().limit(3).map(i -> "\"" + titles.getOrDefault(i.getItemId(), i.getItemId()) + "\"").toList();
            System.out.printf("          user %s -> %s ... (model %s%s)%n", example.getUserId(), String.join(", ", shown), example.getModelVersion(),
                example.getExperimentArm() == null ? "" : ", arm " + example.getExperimentArm());
            example = null;
          }
          if (summaries) {
            System.out.printf("          summaries refreshed %,d (%.0f/s)%n", summaryCount, (summaryCount - summariesAtLastReport) / 3.0);
            summariesAtLastReport = summaryCount;
            // The two most recently refreshed users, newest last.
            List<org.lmrec.schema.UserSummaryUpdate> newest = new ArrayList<>(refreshed.values());
            for (org.lmrec.schema.UserSummaryUpdate u : newest.subList(Math.max(0, newest.size() - 2), newest.size())) {
              System.out.printf("          summary of %s after %d blocks (%d in the window, %d ms): %s%n", u.getUserId(), u.getBlocks(),
                  u.getWindowBlocks(), u.getLatencyMillis(), u.getText());
            }
            refreshed.clear();
          }
        }
      }
      if (running.get()) System.out.printf("%nstopping on its own: %s%n", stopReason);
      if (ab != null) {
        Path png = workDir.resolve("experiments").resolve(experiment.id() + ".png").toAbsolutePath();
        System.out.printf("A/B test %s: %d looks seen; report %s%n", experiment.id(), ab.looks(),
            Files.exists(png) ? png + " (and .json beside it)" : "not written yet (no look closed: run longer)");
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // Ctrl-C while polling: the shutdown hook takes over.
    }
  }

  private static String pct(long[] sorted, double q) {
    if (sorted.length == 0) return "-";
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] + " ms";
  }

  /** Durations as Flink writes them: 20s, 5m, 1h. */
  static final class FlinkDuration implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return org.apache.flink.util.TimeUtils.parseDuration(value);
    }
  }

  /** Prints the public key file the demo's announcements are signed for, creating the pair on first use. */
  @Command(name = "keys", description = "Print the demo's trusted public key file (the pair is created in --dir on first use).")
  static final class Keys implements Callable<Integer> {
    @Option(names = "--dir", required = true)
    Path dir;

    @Override
    public Integer call() throws Exception {
      System.out.println(demoSigner(dir).publicKeyFile().toAbsolutePath());
      return 0;
    }
  }

  /** Prints the newest artifact under a folder that was trained on the default synthetic data; exit 3 when none. */
  @Command(name = "find-model", description = "Print the newest model artifact trained on synthetic data.")
  static final class FindModel implements Callable<Integer> {
    @Option(names = "--artifacts", defaultValue = "runs/artifacts")
    Path artifacts;

    @Option(names = "--synthetic-items", defaultValue = "1000")
    int items;

    @Option(names = "--with-summary-catalogue", description = "Only artifacts with a summary catalogue (for --summaries).")
    boolean withCatalogue;

    @Option(names = "--kind", description = "Only models of this kind, e.g. sasrec or gru4rec (default: any).")
    String kind;

    @Override
    public Integer call() throws Exception {
      Optional<ModelArtifact> newest = Optional.empty();
      if (Files.isDirectory(artifacts)) {
        try (Stream<Path> dirs = Files.list(artifacts)) {
          newest = dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json")))
              .map(d -> {
                try {
                  return ArtifactReader.readManifest(d);
                } catch (RuntimeException e) {
                  return null;
                }
              })
              .filter(a -> a != null && a.manifest().trainingData() != null
                  && "synthetic".equals(a.manifest().trainingData().datasetName()) && a.manifest().numItems() == items
                  && (!withCatalogue || org.lmrec.summary.SummaryCatalogue.listedIn(a.manifest()))
                  && (kind == null || kind.equalsIgnoreCase(a.modelKind())))
              .max(Comparator.comparing(a -> a.manifest().createdAtInstant()));
        }
      }
      if (newest.isEmpty()) return 3;
      System.out.println(newest.get().dir().toAbsolutePath());
      return 0;
    }
  }
}
