package org.lmrec.retrainjob.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.lmrec.data.Dataset;
import org.lmrec.data.RecBoleLoader;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.retrain.ModelAnnouncer;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.retrain.RetrainConfig;
import org.lmrec.retrain.RetrainingData;
import org.lmrec.retrain.RetrainingRun;
import org.lmrec.retrainjob.prep.ArchiveDataPrep;
import org.lmrec.flink.archive.ArchiveWindow;
import org.lmrec.retrainjob.prep.PrepOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retraining, end to end: the archive window through the BATCH data preparation, the catalogue
 * added, then the core's {@link RetrainingRun} (training, gate, publish, announce). Used by the
 * command line ({@code run}, {@code schedule}) and the tests.
 */
public final class RetrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

  /**
   * @param archiveUri base of the interaction archive the streaming job writes
   * @param catalogue a RecBole {@code .item} file with item attributes (null = items known by id only)
   * @param window how far back from {@code windowEnd} to read
   * @param windowEnd end of the window (exclusive); null = the clock's now at each run
   * @param flinkConfig settings for the data preparation's Flink job (parallelism, ...)
   */
  public record Settings(String archiveUri, Path catalogue, Duration window, Instant windowEnd, PrepOptions prep, Configuration flinkConfig) {}

  private final Settings settings;
  private final RetrainConfig config;
  private final ModelRegistry registry;
  private final ModelAnnouncer announcer;
  private final Clock clock;

  public RetrainJob(Settings settings, RetrainConfig config, ModelRegistry registry, ModelAnnouncer announcer, Clock clock) {
    this.settings = settings;
    this.config = config;
    this.registry = registry;
    this.announcer = announcer;
    this.clock = clock;
  }

  /** Runs once; empty when the window holds too little to train and evaluate on (nothing is written then). */
  public Optional<RetrainingRun.Outcome> runOnce() throws Exception {
    Instant end = settings.windowEnd() != null ? settings.windowEnd() : clock.instant();
    ArchiveWindow window = ArchiveWindow.lastDays(settings.window(), end);
    long t0 = System.nanoTime();
    LOG.info("retraining: preparing the archive {} over {}", settings.archiveUri(), window);
    ArchiveDataPrep.Result prepared = new ArchiveDataPrep(settings.prep(), settings.flinkConfig()).run(settings.archiveUri(), window);
    Map<String, Map<String, String>> catalogue = settings.catalogue() == null ? Map.of() : RecBoleLoader.readItems(settings.catalogue());
    Dataset data = RetrainingData.of("archive " + window, prepared.histories(), catalogue);
    double prepSeconds = (System.nanoTime() - t0) / 1e9;
    LOG.info(String.format("retraining: data prepared in %.1f s: %s; %s", prepSeconds, prepared.summary(), data.summary()));
    if (LeaveOneOutSplit.of(data).test().size() < 2) {
      LOG.warn("retraining skipped: the window {} has fewer than 2 users with {}+ interactions", window, LeaveOneOutSplit.MIN_INTERACTIONS);
      return Optional.empty();
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("prepare", prepSeconds);
    String description = "archive " + settings.archiveUri() + " " + window + ", " + prepared.summary()
        + (settings.catalogue() == null ? "" : ", catalogue " + settings.catalogue());
    return Optional.of(new RetrainingRun(config, registry, announcer, clock).run(data, description, seconds));
  }
}
