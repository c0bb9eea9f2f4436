package org.lmrec.flink.archive;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event-time range a retraining reads, {@code [start, end)}. The archive is bucketed by UTC
 * event date, so the window names the few {@code date=YYYY-MM-DD} directories worth opening; the
 * exact bounds are then applied per event, since buckets are whole days and windows need not be.
 */
public record ArchiveWindow(Instant start, Instant end) implements Serializable {
  public ArchiveWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("archive window start " + start + " is not before its end " + end);
    }
  }

  /** The {@code length} (typically some days) of event time that ends, exclusive, at {@code end}. */
  public static ArchiveWindow lastDays(Duration length, Instant end) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("archive window length must be positive: " + length);
    }
    return new ArchiveWindow(end.minus(length), end);
  }

  public boolean contains(Instant eventTime) {
    return !eventTime.isBefore(start) && eventTime.isBefore(end);
  }

  public boolean contains(long eventTimeMillis) {
    return contains(Instant.ofEpochMilli(eventTimeMillis));
  }

  /**
   * The archive's bucket directory names ({@code date=YYYY-MM-DD}, UTC) of every day that overlaps
   * the window, oldest first. An end at midnight does not open that day: the end is exclusive.
   */
  public List<String> bucketNames() {
    LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC);
    List<String> names = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      names.add("date=" + d); // LocalDate prints ISO yyyy-MM-dd, as the archive's bucket assigner does
    }
    return names;
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
