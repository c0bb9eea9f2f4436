package org.lmrec.retrain.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lmrec.retrain.schedule.MetricsHttpServer;
import org.lmrec.retrain.schedule.RetrainLock;
import org.lmrec.retrain.schedule.RetrainMetrics;
import org.lmrec.retrain.schedule.RetrainRunner;
import org.lmrec.retrain.schedule.RetrainScheduler;
import org.lmrec.retrain.schedule.RunReport;
import org.lmrec.retrain.schedule.ScheduleSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lmrec-retrain run|schedule}: one retraining now, or a long-running scheduler. */
@Command(
    name = "lmrec-retrain",
    mixinStandardHelpOptions = true,
    subcommands = {RetrainCli.Run.class, RetrainCli.Schedule.class},
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
      RetrainRunner runner = new RetrainRunner(options.task(), options.lockFile(), options.counter(), new RetrainMetrics());
      Optional<RunReport> report = runner.runIfFree(org.lmrec.retrain.schedule.RetrainTask.MANUAL);
      if (report.isEmpty()) {
        System.err.println("another retraining is running (" + RetrainLock.describeHolder(options.lockFile()) + "); nothing done");
        return 3;
      }
      RunReport r = report.get();
      System.out.println(r.outcome() + (r.version() == null ? "" : " " + r.version()) + ": " + r.message());
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
