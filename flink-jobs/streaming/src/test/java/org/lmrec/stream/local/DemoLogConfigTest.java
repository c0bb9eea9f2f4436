package org.lmrec.stream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local demo's log configuration ({@code deploy/local/log4j2-demo.properties}), loaded into a
 * real log4j context writing a real file: Flink 2.2.1's repeated 'pendingCommittables' collision
 * warning (FLINK-35321, one per sink committer and checkpoint) is dropped, every other line stays.
 */
class DemoLogConfigTest {
  private static final Path CONFIG = Path.of("../../deploy/local/log4j2-demo.properties");

  @Test
  void dropsOnlyThePendingCommittablesCollision(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("demo.log");
    System.setProperty("lmrec.demo.log", log.toString());
    LoggerContext context = new LoggerContext("demo-log-test");
    try (InputStream in = Files.newInputStream(CONFIG)) {
      Configuration config = new PropertiesConfigurationFactory().getConfiguration(context, new ConfigurationSource(in, CONFIG.toFile()));
      context.start(config);
      Logger metrics = context.getLogger("org.apache.flink.metrics.MetricGroup");
      // The message as the job logged it (KafkaTlsITCase's output), scope components appended.
      metrics.warn("Name collision: Group already contains a Metric with the name 'pendingCommittables'. Metric will not be reported."
          + "[, taskmanager, cbf5ecfc-eb9f-46b7-aed6-8f5babe5c073, lmrec streaming against a secured broker, dead letters: Committer, 0]");
      metrics.warn("Name collision: Group already contains a Metric with the name 'numRecordsIn'. Metric will not be reported.[tm, op, 0]");
      context.getLogger("org.lmrec.stream.local.LocalDemo").info("job running");
    } finally {
      context.stop();
      System.clearProperty("lmrec.demo.log");
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).noneMatch(l -> l.contains("pendingCommittables"));
    assertThat(lines).anyMatch(l -> l.contains("WARN  MetricGroup - Name collision") && l.contains("'numRecordsIn'"));
    assertThat(lines).anyMatch(l -> l.contains("INFO  LocalDemo - job running"));
  }
}
