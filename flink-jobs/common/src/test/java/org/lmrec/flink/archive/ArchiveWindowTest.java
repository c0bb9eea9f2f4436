package org.lmrec.flink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lmrec.flink.archive.EventDateBucketAssigner;

/** The window's bounds and the archive directories it opens. */
class ArchiveWindowTest {
  static final Instant START = Instant.parse("2024-03-10T06:00:00Z");
  static final Instant END = Instant.parse("2024-03-12T06:00:00Z");

  @Test
  void boundsAreStartInclusiveEndExclusive() {
    ArchiveWindow w = new ArchiveWindow(START, END);
    assertThat(w.contains(START)).isTrue();
    assertThat(w.contains(START.minusMillis(1))).isFalse();
    assertThat(w.contains(END.minusMillis(1).toEpochMilli())).isTrue();
    assertThat(w.contains(END.toEpochMilli())).isFalse();
  }

  @Test
  void bucketsAreTheUtcDatesThatOverlap() {
    assertThat(new ArchiveWindow(START, END).bucketNames())
        .containsExactly("date=2024-03-10", "date=2024-03-11", "date=2024-03-12");
    // An end at midnight does not open that day; a start at midnight does.
    assertThat(new ArchiveWindow(Instant.parse("2024-03-10T00:00:00Z"), Instant.parse("2024-03-12T00:00:00Z")).bucketNames())
        .containsExactly("date=2024-03-10", "date=2024-03-11");
    assertThat(new ArchiveWindow(Instant.parse("2024-12-31T23:00:00Z"), Instant.parse("2025-01-01T00:00:00.001Z")).bucketNames())
        .containsExactly("date=2024-12-31", "date=2025-01-01");
  }

  @Test
  void bucketNamesMatchTheArchiveWriters() {
    ArchiveWindow w = new ArchiveWindow(START, END);
    assertThat(w.bucketNames()).containsExactly(
        EventDateBucketAssigner.bucketOf(START),
        EventDateBucketAssigner.bucketOf(START.plus(Duration.ofDays(1))),
        EventDateBucketAssigner.bucketOf(END.minusMillis(1)));
  }

  @Test
  void lastDaysEndsAtTheGivenInstant() {
    assertThat(ArchiveWindow.lastDays(Duration.ofDays(2), END)).isEqualTo(new ArchiveWindow(START, END));
    assertThatThrownBy(() -> ArchiveWindow.lastDays(Duration.ZERO, END)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyOrReversedWindowsAreRefused() {
    assertThatThrownBy(() -> new ArchiveWindow(END, END)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ArchiveWindow(END, START)).isInstanceOf(IllegalArgumentException.class);
  }
}
