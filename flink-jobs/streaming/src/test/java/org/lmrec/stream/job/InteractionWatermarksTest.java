package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;
import org.junit.jupiter.api.Test;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.ingest.Ingested;
import org.lmrec.flink.interaction.Interaction;

/** The watermark strategy the job puts on its interactions source, driven like a source drives it. */
class InteractionWatermarksTest {
  private static final long NOW = Instant.parse("2026-12-05T08:00:00Z").toEpochMilli();
  private static final AtomicLong CLOCK = new AtomicLong(NOW);

  private final Configuration options = new Configuration();
  private final WatermarkStrategy<Ingested> strategy = StreamingJob.interactionWatermarks(options, CLOCK::get);
  private final WatermarkGenerator<Ingested> generator = strategy.createWatermarkGenerator(new SourceContext());
  private final TimestampAssigner<Ingested> timestamps = strategy.createTimestampAssigner(null);
  private final LastWatermark output = new LastWatermark();

  @Test
  void anEventFromTheFutureCannotMakeLaterTrafficThatKeepsTimeLate() {
    CLOCK.set(NOW);
    see(NOW - 1_000);
    see(NOW + Duration.ofMinutes(59).toMillis()); // inside lmrec.input.max-future-skew, so accepted
    CLOCK.set(NOW + 3_000);
    see(NOW + 2_000);
    generator.onPeriodicEmit(output);

    long allowedLateness = options.get(StreamingOptions.ALLOWED_LATENESS).toMillis();
    assertThat(output.last).isLessThanOrEqualTo(NOW + 3_000 - options.get(StreamingOptions.OUT_OF_ORDERNESS).toMillis() - 1);
    // the sequence operator dead-letters an event older than watermark - allowed lateness
    assertThat(NOW + 2_000).isGreaterThanOrEqualTo(output.last - allowedLateness);
  }

  @Test
  void eventTimesBehindTheClockDriveTheWatermarkAsBefore() {
    CLOCK.set(NOW);
    long past = Instant.parse("2023-03-01T12:00:00Z").toEpochMilli();
    see(past);
    see(past + 60_000);
    see(past + 30_000);
    generator.onPeriodicEmit(output);

    assertThat(output.last).isEqualTo(past + 60_000 - options.get(StreamingOptions.OUT_OF_ORDERNESS).toMillis() - 1);
  }

  @Test
  void rejectedRecordsDoNotMoveTheWatermark() {
    generator.onEvent(Ingested.rejected(null), timestamps.extractTimestamp(Ingested.rejected(null), NOW), output);
    generator.onPeriodicEmit(output);

    assertThat(output.last).satisfiesAnyOf(w -> assertThat(w).isNull(), w -> assertThat(w).isEqualTo(Long.MIN_VALUE));
  }

  private void see(long eventTime) {
    Interaction i = new Interaction();
    i.eventTime = eventTime;
    Ingested record = Ingested.valid(i);
    generator.onEvent(record, timestamps.extractTimestamp(record, eventTime), output);
  }

  private static final class LastWatermark implements WatermarkOutput {
    Long last;

    @Override
    public void emitWatermark(Watermark watermark) {
      last = watermark.getTimestamp();
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  }

  private static final class SourceContext implements WatermarkGeneratorSupplier.Context {
    @Override
    public MetricGroup getMetricGroup() {
      return new UnregisteredMetricsGroup();
    }

    @Override
    public RelativeClock getInputActivityClock() {
      return SystemClock.getInstance();
    }
  }
}
