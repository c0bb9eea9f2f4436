package org.lmrec.stream.ingest;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that never pass the job's clock: the watermark is
 * {@code min(largest event time seen, now) - outOfOrderness - 1}.
 *
 * <p>Why: events up to {@code lmrec.input.max-future-skew} ahead of the clock are accepted (producer
 * clocks drift), and with plain bounded out-of-orderness one such event moved its partition's
 * watermark up to an hour ahead; every valid event after it was then "late" and dead-lettered, so
 * one record could silence the recommender for an hour. Capped at the clock, a future event still
 * counts for its user but cannot make traffic that keeps time late.
 */
public final class ClockBoundedWatermarks<T> implements WatermarkGenerator<T> {
  /** Milliseconds since the epoch; serializable so a watermark strategy can ship it to the sources. */
  @FunctionalInterface
  public interface Clock extends LongSupplier, java.io.Serializable {}

  public static final Clock WALL_CLOCK = System::currentTimeMillis;

  private final long outOfOrdernessMillis;
  private final LongSupplier clock;
  private long maxEventTime = Long.MIN_VALUE;

  public ClockBoundedWatermarks(Duration outOfOrderness, LongSupplier clock) {
    if (outOfOrderness.isNegative()) throw new IllegalArgumentException("out-of-orderness must not be negative: " + outOfOrderness);
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.clock = clock;
  }

  @Override
  public void onEvent(T event, long eventTime, WatermarkOutput output) {
    maxEventTime = Math.max(maxEventTime, eventTime);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (maxEventTime == Long.MIN_VALUE) return; // nothing seen: nothing to promise
    long bound = Math.min(maxEventTime, clock.getAsLong());
    output.emitWatermark(new Watermark(bound - outOfOrdernessMillis - 1));
  }
}
