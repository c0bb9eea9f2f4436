package org.lmrec.stream.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lmrec.flink.storage.FlinkFileSystems;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.StreamingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point for a Flink cluster ({@code flink run -c org.lmrec.stream.job.StreamingJobMain}):
 * settings from a YAML file and/or {@code -Dlmrec.key=value} pairs; see {@link org.lmrec.stream.StreamingOptions}.
 * The {@code lmrec.*} keys of the Flink client's own config.yaml ({@code $FLINK_CONF_DIR}, which
 * Flink's {@code bin/flink} sets) apply too; {@code --config-dir}, then {@code -D}, override them.
 */
@Command(name = "lmrec-streaming", mixinStandardHelpOptions = true, description = "Runs the streaming recommendation job.")
public final class StreamingJobMain implements Callable<Integer> {
  @Option(names = "--config-dir", description = "Folder with a config.yaml of lmrec.* (and Flink) settings.")
  Path configDir;

  @Option(names = "-D", description = "A setting, e.g. -Dlmrec.model.initial=runs/artifacts/sasrec-...", mapFallbackValue = "")
  Map<String, String> settings = Map.of();

  private final UnaryOperator<DataStream<Recommendation>> beforeRecommendationsSink;

  public StreamingJobMain() {
    this(UnaryOperator.identity());
  }

  private StreamingJobMain(UnaryOperator<DataStream<Recommendation>> beforeRecommendationsSink) {
    this.beforeRecommendationsSink = beforeRecommendationsSink;
  }

  public static void main(String[] args) {
    System.exit(run(args, UnaryOperator.identity()));
  }

  /**
   * Runs the job like {@link #main}, with {@code beforeRecommendationsSink} between the scorer and
   * the recommendations sink (see {@link StreamingJob#build(StreamExecutionEnvironment, UnaryOperator)}).
   * Returns the exit code.
   */
  public static int run(String[] args, UnaryOperator<DataStream<Recommendation>> beforeRecommendationsSink) {
    return new CommandLine(new StreamingJobMain(beforeRecommendationsSink)).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Configuration options = clientSettings(System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR));
    if (configDir != null) {
      if (!Files.isRegularFile(configDir.resolve("config.yaml"))) {
        throw new CommandLine.ParameterException(new CommandLine(this), "no config.yaml in " + configDir);
      }
      options.addAll(GlobalConfiguration.loadConfiguration(configDir.toString()));
    }
    settings.forEach(options::setString);
    Configuration flink = StreamingJob.flinkSettings(options);
    flink.addAll(options);
    // s3:// for the initial model, the archive and checkpoints in this JVM (the local MiniCluster, or the
    // client of `flink run`): the plugins and s3.* of $FLINK_CONF_DIR (the CLI's), then this job's settings.
    Configuration fs = FlinkFileSystems.clientConfiguration();
    fs.addAll(flink);
    FlinkFileSystems.initialize(fs);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env, beforeRecommendationsSink);
    env.execute(options.get(StreamingOptions.JOB_NAME));
    return 0;
  }

  /** The {@code lmrec.*} keys of the config.yaml in {@code flinkConfDir} (none when unset or without a config file). */
  static Configuration clientSettings(String flinkConfDir) {
    Configuration lmrec = new Configuration();
    if (flinkConfDir == null || !Files.isRegularFile(Path.of(flinkConfDir, GlobalConfiguration.FLINK_CONF_FILENAME))) return lmrec;
    GlobalConfiguration.loadConfiguration(flinkConfDir).toMap().forEach((k, v) -> {
      if (k.startsWith("lmrec.")) lmrec.setString(k, v);
    });
    return lmrec;
  }
}
