package org.lmrec.retrainjob.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.retrainjob.schedule.MetricsHttpServer;
import org.lmrec.retrainjob.schedule.RetrainLock;
import org.lmrec.retrainjob.schedule.RetrainMetrics;
import org.lmrec.retrainjob.schedule.RetrainRunner;
import org.lmrec.retrainjob.schedule.RetrainScheduler;
import org.lmrec.retrainjob.schedule.RunReport;
import org.lmrec.retrainjob.schedule.ScheduleSettings;
import org.lmrec.flink.kafka.KafkaClientOptions;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.flink.announce.AnnouncementKeys;
import org.lmrec.flink.announce.AnnouncementSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lmrec-retrain run|schedule|keygen|rollback}: one retraining now, a long-running scheduler,
 * a key pair for signing announcements, or a signed rollback to a published version.
 */
@Command(
    name = "lmrec-retrain",
    mixinStandardHelpOptions = true,
    subcommands = {RetrainCli.Run.class, RetrainCli.Schedule.class, RetrainCli.Keygen.class, RetrainCli.Rollback.class},
    description = {
      "Retrains the model from the interaction archive the streaming job writes: a bounded Flink job in BATCH mode",
      "prepares the window (dedup, order, sessions), then ID-only pre-training, P2Rec (fine-tuning warm-started from the",
      "serving version's LoRA), the enhanced SRS, a quality gate against the serving version on the held-out most recent",
      "interactions, and, if it passes, an atomic publish and an announcement on the model-update topic."
    })
public final class RetrainCli {
  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true"); // nothing may be downloaded at run time
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new RetrainCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (Boolean.getBoolean("lmrec.debug")) e.printStackTrace();
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Retrain once now (waits for nobody: if another retraining holds the lock, exits with code 3).")
  static final class Run implements Callable<Integer> {
    @Mixin RetrainOptions options = new RetrainOptions();

    @Override
    public Integer call() throws Exception {
      org.lmrec.model.EngineSettings.configure(options.threads);
      options.initFileSystems();
      RetrainRunner runner = new RetrainRunner(options.task(), options.lockFile(), options.counter(), new RetrainMetrics());
      Optional<RunReport> report = runner.runIfFree(org.lmrec.retrainjob.schedule.RetrainTask.MANUAL);
      if (report.isEmpty()) {
        System.err.println("another retraining is running (" + RetrainLock.describeHolder(options.lockFile()) + "); nothing done");
        return 3;
      }
      RunReport r = report.get();
      System.out.println(r.outcome() + (r.version() == null ? "" : " " + r.version()) + ": " + r.message());
      return 0;
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Write an Ed25519 key pair for signing model announcements into DIR: ID.key (PKCS#8, readable by its owner only)",
          "for --signing-key, and ID.pub for the streaming job's lmrec.models.trusted-keys. Never overwrites a key."})
  static final class Keygen implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "DIR", description = "Folder of the key files (created if missing).")
    Path dir;

    @Option(names = "--key-id", description = "Key id, the files' name (default: lmrec- and 12 hex digits of the public key's SHA-256).")
    String keyId;

    @Override
    public Integer call() {
      AnnouncementKeys.KeyPairFiles files = AnnouncementKeys.generate(dir, keyId, new SecureRandom());
      System.out.println("key " + files.keyId() + ":");
      System.out.println("  private (lmrec-retrain --signing-key, keep it secret): " + files.privateKey());
      System.out.println("  public (the streaming job's lmrec.models.trusted-keys): " + files.publicKey());
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = {"Return the served model to VERSION, a version already published in --artifacts: checks its files, announces",
          "it as a signed rollback (the scorers refuse an older version otherwise) and records it as serving, so the next",
          "retraining is gated against it and warm-starts from it."})
  static final class Rollback implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "VERSION", description = "A published version (a folder name in --artifacts).")
    String version;

    @Option(names = "--model", description = "Model kind of the registry, as in 'run': sasrec or gru4rec (default: ${DEFAULT-VALUE}).")
    String modelKind = "sasrec";

    @Mixin SigningOptions signing = new SigningOptions();

    @Option(names = "--artifacts", paramLabel = "DIR|URI", description = "Published versions and SERVING.json: a directory or an "
        + "s3://BUCKET/PREFIX store (then give --artifacts-cache) (default: ${DEFAULT-VALUE}).")
    String artifacts = Path.of("runs", "artifacts").toString();

    @Option(names = "--artifacts-cache", paramLabel = "DIR", description = "Local working copy of a remote --artifacts store.")
    Path artifactsCache;

    @Option(names = "--flink-conf-dir", paramLabel = "DIR", description = "A Flink config.yaml with the s3.* settings for a remote store.")
    Path flinkConfDir;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers of the model-update topic.")
    String bootstrapServers;

    @Option(names = "--model-updates-topic", description = "Where the rollback is announced (default: ${DEFAULT-VALUE}).")
    String modelUpdatesTopic = "lmrec.model-updates";

    @Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

    @Override
    public Integer call() throws Exception {
      if (signing.unsigned) throw new IllegalArgumentException("a rollback must be signed: give --signing-key, not --unsigned");
      AnnouncementSigner signer = signing.signer();
      KafkaClientProperties kafka = kafkaClient.properties();
      RetrainOptions store = new RetrainOptions(); // the same store handling as 'run'
      store.artifacts = artifacts;
      store.artifactsCache = artifactsCache;
      store.flinkConfDir = flinkConfDir;
      RemoteArtifactStore remote = store.remoteStore();
      if (remote != null) {
        store.initFileSystems();
        remote.pull();
      }
      ModelRegistry registry = new ModelRegistry(store.artifactsDir(), modelKind);
      ModelArtifact target = registry.published().list(registry.modelKind()).stream().filter(a -> a.version().equals(version)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("version " + version + " is not published in " + artifacts
              + " (published: " + registry.published().list(registry.modelKind()).stream().map(ModelArtifact::version).toList()
              + "; a version the gate refused is never announced)"));
      org.lmrec.artifact.ArtifactReader.verify(target.dir()); // every file's checksum, before anyone is told to load it
      Instant now = Instant.now();
      try (KafkaModelAnnouncer announcer = new KafkaModelAnnouncer(bootstrapServers, modelUpdatesTopic, signer, kafka)) {
        if (remote == null) announcer.announceRollback(target, now);
        else announcer.announceRollback(target, now, remote.uriOf(target));
      }
      registry.markServing(target, now);
      if (remote != null) remote.push();
      System.out.println("rolled back to " + version + " (signed with key " + signer.keyId() + ", announced at " + now + ")");
      return 0;
    }
  }

  @Command(name = "schedule", mixinStandardHelpOptions = true,
      description = {"Run retrainings on a schedule until stopped: every --interval and/or once --new-interactions new archived",
          "interactions have arrived. Never two at once (also across processes), a failed run is logged, counted and retried",
          "on the next tick. Metrics (Prometheus text) at http://HOST:PORT/metrics; POST /trigger starts a run by hand."})
  static final class Schedule implements Callable<Integer> {
    @Mixin RetrainOptions options = new RetrainOptions();

    @Option(names = "--interval", converter = DurationConverter.class, description = "Retrain this often, e.g. 24h (default: off).")
    Duration interval;

    @Option(names = "--new-interactions", description = "Retrain once this many new interactions are archived (default: 0 = off).")
    long newInteractions;

    @Option(names = "--poll", converter = DurationConverter.class, description = "How often to count new interactions (default: 1m).")
    Duration poll = ScheduleSettings.DEFAULT_POLL_INTERVAL;

    @Option(names = "--run-at-start", description = "Retrain once as soon as the scheduler starts.")
    boolean runAtStart;

    @Option(names = "--metrics-port", description = "Port of /metrics and /trigger, 0 = any free one (default: ${DEFAULT-VALUE}).")
    int metricsPort = 9250;

    @Option(names = "--metrics-address", description = "Address /metrics and /trigger listen on (default: ${DEFAULT-VALUE}, loopback only). "
        + "Any other address needs --trigger-token-file.")
    String metricsAddress = "127.0.0.1";

    @Option(names = "--trigger-token-file", description = "File holding the bearer token POST /trigger requires (first line; never logged).")
    Path triggerTokenFile;

    private String triggerToken() throws java.io.IOException {
      if (triggerTokenFile == null) return null;
      String token = Files.readAllLines(triggerTokenFile).stream().findFirst().orElse("").strip();
      if (token.isEmpty()) throw new IllegalArgumentException("--trigger-token-file " + triggerTokenFile + " holds no token");
      return token;
    }

    @Override
    public Integer call() throws Exception {
      org.lmrec.model.EngineSettings.configure(options.threads);
      options.initFileSystems();
      ScheduleSettings settings = new ScheduleSettings(interval, newInteractions, poll, null, runAtStart);
      RetrainMetrics metrics = new RetrainMetrics();
      RetrainRunner runner = new RetrainRunner(options.task(), options.lockFile(), options.counter(), metrics);
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      // On SIGTERM / Ctrl-C: let the main thread close the scheduler (it interrupts a run in progress), then exit.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        try {
          closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "lmrec-retrain-shutdown"));
      try (RetrainScheduler scheduler = new RetrainScheduler(settings, runner);
          MetricsHttpServer http = MetricsHttpServer.start(new java.net.InetSocketAddress(metricsAddress, metricsPort), metrics, scheduler::triggerNow,
              triggerToken())) {
        scheduler.start();
        System.out.println("lmrec-retrain: scheduling " + settings + "; metrics at http://" + metricsAddress + ":" + http.port() + "/metrics"
            + (triggerTokenFile == null ? "" : " (/trigger needs the token in " + triggerTokenFile + ")"));
        stopped.await();
      } finally {
        closed.countDown();
      }
      return 0;
    }
  }
}
