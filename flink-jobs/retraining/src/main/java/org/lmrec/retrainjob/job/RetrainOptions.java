package org.lmrec.retrainjob.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.lmrec.cli.EnhancerOptions;
import org.lmrec.cli.ModelOptions;
import org.lmrec.enhance.Enhancer;
import org.lmrec.enhance.llmemb.LlmEmbConfig;
import org.lmrec.enhance.p2rec.P2RecConfig;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.retrain.RetrainConfig;
import org.lmrec.retrainjob.prep.PrepOptions;
import org.lmrec.retrainjob.schedule.NewInteractionCounter;
import org.lmrec.retrainjob.schedule.RetrainLock;
import org.lmrec.retrainjob.schedule.RetrainTask;
import org.lmrec.retrainjob.schedule.RunReport;
import org.lmrec.flink.kafka.KafkaClientOptions;
import org.lmrec.flink.kafka.KafkaClientProperties;
import org.lmrec.settings.Settings;
import org.lmrec.settings.Settings.Sets;
import org.lmrec.train.TrainingOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of one retraining, shared by {@code run} and {@code schedule}; every one has a default,
 * {@link RetrainConfig#defaults}' where it sets a {@link RetrainConfig} component ({@link Sets}).
 */
final class RetrainOptions {
  private static final RetrainConfig DEFAULTS = RetrainConfig.defaults(Enhancer.NONE, ModelConfig.defaults(ModelKind.SASREC), null, null);

  @Mixin ModelOptions model = new ModelOptions();
  @Mixin EnhancerOptions enhance = p2recByDefault();
  @Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

  @Option(names = "--archive", required = true, paramLabel = "DIR|URI", description = "The interaction archive the streaming job writes (lmrec.archive.path).")
  String archive;

  @Option(names = "--catalogue", paramLabel = "FILE", description = "Item attributes as a RecBole .item file; catalogue items without interactions are trained on from their text.")
  Path catalogue;

  @Option(names = "--artifacts", paramLabel = "DIR|URI", description = "Published versions, SERVING.json and refused/: a directory, "
      + "or an object-store prefix such as s3://BUCKET/PREFIX (then give --artifacts-cache) (default: ${DEFAULT-VALUE}).")
  String artifacts = Path.of("runs", "artifacts").toString();

  @Option(names = "--artifacts-cache", paramLabel = "DIR", description = "Local working copy of a remote --artifacts store: "
      + "the versions are trained, gated and pruned here and mirrored to the store; the lock and bookkeeping live here too.")
  Path artifactsCache;

  @Option(names = "--flink-conf-dir", paramLabel = "DIR", description = "A Flink config.yaml with the file system settings "
      + "(s3.endpoint, s3.access-key, s3.secret-key, s3.path.style.access, ...) for s3:// archives and stores "
      + "(default: $FLINK_CONF_DIR if set; else the S3 client's own defaults: AWS_* environment variables, instance roles).")
  Path flinkConfDir;

  @Option(names = "--window", converter = DurationConverter.class, description = "How far back to read the archive (default: 30d).")
  Duration window = Duration.ofDays(30);

  @Option(names = "--window-end", description = "End of the window, ISO-8601 UTC (default: now).")
  Instant windowEnd;

  @Option(names = "--session-gap", converter = DurationConverter.class, description = "Inactivity that starts a new session; repeats of one item inside a session count once (default: 30m).")
  @Sets(value = "sessionGap", in = PrepOptions.class)
  Duration sessionGap = PrepOptions.DEFAULT_SESSION_GAP;

  @Option(names = "--arm-only", paramLabel = "EXPERIMENT/ARM",
      description = "Train on one experiment arm's users only (needs --experiments), so arms do not share training data.")
  String armOnly;

  @Option(names = "--experiments", paramLabel = "FILE", description = "Experiment definitions (one JSON object or an array) for --arm-only.")
  Path experiments;

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers of the model-update topic.")
  String bootstrapServers;

  @Option(names = "--model-updates-topic", description = "Where published versions are announced (default: ${DEFAULT-VALUE}).")
  String modelUpdatesTopic = "lmrec.model-updates";

  @Mixin SigningOptions signing = new SigningOptions();

  @Option(names = "--lm-refresh-interval", converter = DurationConverter.class, description = "P2Rec fine-tunes the LM again (warm-started) once its LoRA is this old; until then only new or changed items are embedded; 0 = every run (default: 7d).")
  @Sets(value = "lmRefreshInterval", in = RetrainConfig.class)
  Duration lmRefreshInterval = DEFAULTS.lmRefreshInterval();

  @Option(names = "--gate-margin", description = "Publish only if held-out NDCG@10 >= serving's x (1 - margin) (default: ${DEFAULT-VALUE}).")
  @Sets(value = "gateMargin", in = RetrainConfig.class)
  double gateMargin = DEFAULTS.gateMargin();

  @Option(names = "--keep-versions", description = "Published versions kept; the serving one is never deleted (default: ${DEFAULT-VALUE}).")
  @Sets(value = "keepVersions", in = RetrainConfig.class)
  int keepVersions = DEFAULTS.keepVersions();

  @Option(names = "--keep-refused", description = "Refused versions kept for inspection (default: ${DEFAULT-VALUE}).")
  @Sets(value = "keepRefused", in = RetrainConfig.class)
  int keepRefused = DEFAULTS.keepRefused();

  @Option(names = "--epochs", description = "Maximum SRS epochs (default: ${DEFAULT-VALUE}).")
  @Sets(value = "maxEpochs", in = TrainingOptions.class)
  int epochs = DEFAULTS.training().maxEpochs();

  @Option(names = "--patience", description = "Stop after this many validations without improvement (default: ${DEFAULT-VALUE}).")
  @Sets(value = "patience", in = TrainingOptions.class)
  int patience = DEFAULTS.training().patience();

  @Option(names = "--validation-users", description = "Cap on users validated during training, 0 = all (default: ${DEFAULT-VALUE}).")
  @Sets(value = "validationUsers", in = RetrainConfig.class)
  int validationUsers = DEFAULTS.validationUsers();

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  @Sets(value = "threads", in = RetrainConfig.class)
  int threads = DEFAULTS.threads();

  @Option(names = "--parallelism", description = "Parallelism of the data preparation's Flink job (default: ${DEFAULT-VALUE}).")
  int parallelism = 2;

  private static EnhancerOptions p2recByDefault() {
    EnhancerOptions o = new EnhancerOptions();
    o.enhancer = "p2rec";
    return o;
  }

  RetrainConfig config() {
    if (enhance.warmStart != null) throw new IllegalArgumentException("--warm-start does not apply: retraining warm-starts from the serving version");
    ModelConfig cfg = model.toConfig();
    Enhancer enhancer = enhance.enhancer();
    P2RecConfig p2rec = enhance.toConfig(cfg.seed());
    LlmEmbConfig llmemb = enhance.toLlmEmbConfig(cfg.seed());
    RetrainConfig base = RetrainConfig.defaults(enhancer, cfg, enhancer == Enhancer.NONE ? null : enhance.checkpoint(), enhance.workDir());
    // No --dropout: each window's data chooses it, as ./lmrec train does (SASRec 0.5 on sparse data).
    base = base.edit().set(RetrainConfig::dropoutFromData, model.dropoutGiven() == null).build();
    return Settings.apply(base.withP2Rec(p2rec).withLlmEmb(llmemb), this);
  }

  ModelRegistry registry() {
    return new ModelRegistry(artifactsDir(), model.toConfig().kind().id());
  }

  boolean remoteArtifacts() {
    return org.lmrec.flink.storage.RemoteLocation.isRemote(artifacts);
  }

  /** The local directory the registry works in: --artifacts, or --artifacts-cache for a remote store. */
  Path artifactsDir() {
    if (!remoteArtifacts()) return Path.of(artifacts.startsWith("file:") ? java.net.URI.create(artifacts).getPath() : artifacts);
    if (artifactsCache == null) {
      throw new IllegalArgumentException("--artifacts " + artifacts + " is remote: give --artifacts-cache DIR, the local working copy");
    }
    return artifactsCache;
  }

  /** The remote store, or null when --artifacts is local. */
  RemoteArtifactStore remoteStore() {
    return remoteArtifacts() ? new RemoteArtifactStore(artifacts, artifactsDir()) : null;
  }

  /** Flink's settings for the file systems and the preparation's job: --flink-conf-dir, else $FLINK_CONF_DIR, else none. */
  Configuration flinkConfiguration() {
    if (flinkConfDir != null) {
      if (!java.nio.file.Files.isRegularFile(flinkConfDir.resolve("config.yaml"))) {
        throw new IllegalArgumentException("--flink-conf-dir " + flinkConfDir + " holds no config.yaml");
      }
      return org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(flinkConfDir.toString());
    }
    return org.lmrec.flink.storage.FlinkFileSystems.clientConfiguration();
  }

  /** Initializes Flink's file systems (s3:// through the plugin) for this process; call before touching the archive or the store. */
  void initFileSystems() {
    org.lmrec.flink.storage.FlinkFileSystems.initialize(flinkConfiguration());
  }

  /** Where the lock and the archive bookkeeping live: the work directory, or the (local) artifact store without one. */
  Path stateDir() {
    return enhance.workDir() != null ? enhance.workDir() : artifactsDir();
  }

  Path lockFile() {
    return RetrainLock.fileIn(stateDir());
  }

  NewInteractionCounter counter() {
    return new NewInteractionCounter(archiveUri(), stateDir());
  }

  String archiveUri() {
    return archive.contains("://") ? archive : Path.of(archive).toAbsolutePath().toUri().toString();
  }

  PrepOptions prepOptions() throws java.io.IOException {
    PrepOptions prep = Settings.apply(PrepOptions.defaults(), this);
    if (armOnly == null) return prep;
    int slash = armOnly.indexOf('/');
    if (slash <= 0 || slash == armOnly.length() - 1) throw new IllegalArgumentException("--arm-only wants EXPERIMENT/ARM, got '" + armOnly + "'");
    if (experiments == null) throw new IllegalArgumentException("--arm-only needs --experiments FILE with the experiment's definition");
    return prep.withArmOnly(org.lmrec.retrainjob.prep.ArmOnly.fromFile(experiments, armOnly.substring(0, slash), armOnly.substring(slash + 1)));
  }

  KafkaClientProperties kafkaClientProperties() {
    try {
      return kafkaClient.properties();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read --kafka-properties: " + e.getMessage(), e);
    }
  }

  /** One retraining as a task for the runner: prepare, train, gate, publish, announce. */
  RetrainTask task() {
    RetrainConfig config = config();
    org.lmrec.flink.announce.AnnouncementSigner signer = signing.signer(); // a missing or bad key fails here, not after training
    KafkaClientProperties kafka = kafkaClientProperties(); // read and checked at start, not at the first announcement
    RemoteArtifactStore remote = remoteStore(); // a remote store without a cache fails here
    Configuration flinkBase = flinkConfiguration();
    return trigger -> {
      Configuration flink = new Configuration(flinkBase);
      flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
      RetrainJob.Settings settings = new RetrainJob.Settings(archiveUri(), catalogue, window, windowEnd,
          prepOptions(), flink);
      try (KafkaModelAnnouncer kafkaAnnouncer = new KafkaModelAnnouncer(bootstrapServers, modelUpdatesTopic, signer, kafka)) {
        org.lmrec.retrain.ModelAnnouncer announcer = kafkaAnnouncer;
        if (remote != null) {
          remote.pull();
          // On the store before it is announced, and announced where the scorers read it.
          announcer = artifact -> {
            remote.upload(artifact);
            kafkaAnnouncer.announceAt(artifact, remote.uriOf(artifact));
          };
        }
        RunReport report = new RetrainJob(settings, config, registry(), announcer, Clock.systemUTC()).runOnce()
            .map(o -> o.gate().passed()
                ? RunReport.published(o.artifact().version(), o.gate().reason())
                : RunReport.refused(o.artifact().version(), o.gate().reason()))
            .orElse(RunReport.skipped("the window holds too little data to train on"));
        if (remote != null) remote.push();
        return report;
      }
    };
  }
}
