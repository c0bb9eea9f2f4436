package org.lmrec.flink.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lmrec.flink.storage.FlinkFileSystems;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * The interaction archive and the checkpoints on s3:// (a real S3 API server, Flink's S3 plugin,
 * RocksDB incremental checkpoints): a task fails once after a checkpoint has completed, the job
 * restores from the checkpoint on S3, and every event is in the archive's finished files exactly once.
 */
@Timeout(120)
class S3ArchiveITCase {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("lake");
  static final int EVENTS = 600;
  static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");

  static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger FAILED_AT = new AtomicInteger(-1);
  static final AtomicBoolean CHECKPOINT_ON_S3 = new AtomicBoolean();

  @Test
  void archiveOnS3HoldsEachEventExactlyOnceAcrossAFailure() throws Exception {
    Configuration conf = S3.flinkConfig();
    conf.setString("state.backend.type", "rocksdb");
    conf.setString("execution.checkpointing.incremental", "true");
    conf.setString("execution.checkpointing.dir", S3.uri("checkpoints"));
    conf.setString("execution.checkpointing.interval", "300 ms");
    conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "3");
    conf.setString("restart-strategy.fixed-delay.delay", "100 ms");
    conf.setString("taskmanager.memory.managed.size", "64mb");
    conf.setString("io.tmp.dirs", System.getProperty("java.io.tmpdir"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);

    DataGeneratorSource<InteractionEvent> source = new DataGeneratorSource<>(S3ArchiveITCase::event, EVENTS,
        RateLimiterStrategy.perCheckpoint(EVENTS / 6), TypeInformation.of(InteractionEvent.class));
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "events").uid("events")
        .map(new FailOnceAfterACheckpoint()).uid("fail-once")
        .sinkTo(InteractionArchive.sink(S3.uri("archive"))).uid("archive");
    env.execute("s3 archive");

    assertThat(FAILED.get()).as("the failure was injected").isTrue();
    assertThat(FAILED_AT.get()).isBetween(1, EVENTS - 1);

    // Flink's view: the finished files the readers list.
    ArchiveFiles files = ArchiveFiles.list(S3.uri("archive"), new ArchiveWindow(DAY, DAY.plusSeconds(86_400)));
    assertThat(files.presentDays()).containsExactly("date=2026-03-01");
    Map<String, Integer> seen = new HashMap<>();
    for (Path f : files.files()) {
      try (InputStream in = FlinkFileSystems.of(f).open(f);
          DataFileStream<InteractionEvent> events = new DataFileStream<>(in, new SpecificDatumReader<>(InteractionEvent.class))) {
        for (InteractionEvent e : events) seen.merge(e.getEventId(), 1, Integer::sum);
      }
    }
    List<String> duplicated = new ArrayList<>();
    seen.forEach((id, n) -> { if (n > 1) duplicated.add(id); });
    assertThat(duplicated).as("duplicated").isEmpty();
    assertThat(seen).as("every event once").hasSize(EVENTS);

    // The server's own view: the listed files are all the finished objects, and the checkpoints are on S3 too.
    List<String> finished = S3.keys("archive/").stream()
        .filter(k -> ArchiveFiles.isFinishedArchiveFile(k.substring(k.lastIndexOf('/') + 1))).toList();
    assertThat(finished).hasSize(files.files().size());
    assertThat(CHECKPOINT_ON_S3.get()).as("a completed checkpoint's _metadata was on S3 (a finished job's are discarded)").isTrue();
  }

  static InteractionEvent event(long i) {
    return InteractionEvent.newBuilder().setEventId("e-" + i).setUserId("u-" + (i % 7)).setItemId("i-" + (i % 13))
        .setEventType(EventType.CLICK).setEventTime(DAY.plusSeconds(i)).build();
  }

  /**
   * Throws once, on the first event after a completed checkpoint. The source emits a sixth of the
   * events per checkpoint, so events always follow the first checkpoint, however slow the machine.
   */
  static final class FailOnceAfterACheckpoint implements MapFunction<InteractionEvent, InteractionEvent>, CheckpointListener {
    @Override
    public InteractionEvent map(InteractionEvent e) {
      int i = Integer.parseInt(e.getEventId().substring(2));
      if (CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
        FAILED_AT.set(i);
        throw new IllegalStateException("injected failure at event " + i);
      }
      return e;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTED.set(true);
      if (S3.keys("checkpoints/").stream().anyMatch(k -> k.endsWith("/chk-" + checkpointId + "/_metadata"))) CHECKPOINT_ON_S3.set(true);
    }
  }
}
