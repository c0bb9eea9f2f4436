package org.lmrec.bench;

import java.util.Arrays;

/** Steady-state rate from completion times: the middle 80% of the events, ignoring warm-up and tail. */
final class ThroughputWindow {
  private ThroughputWindow() {}

  /** @param times completion times in ms (any order) */
  static double eventsPerSecond(long[] times) {
    if (times.length < 10) throw new IllegalArgumentException("too few events to measure a rate: " + times.length);
    long[] t = times.clone();
    Arrays.sort(t);
    int lo = (int) (t.length * 0.1);
    int hi = (int) (t.length * 0.9);
    long span = Math.max(1, t[hi] - t[lo]);
    return (hi - lo) * 1000.0 / span;
  }

  static long percentile(long[] values, double q) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.floor(q * v.length))];
  }
}
