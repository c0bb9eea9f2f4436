package org.lmrec.experiment;

/**
 * Count, mean and variance of a stream of values in one pass and O(1) memory (Welford's update),
 * mergeable across partitions (Chan et al.'s parallel formula), so per-subtask moments can be
 * combined in any order. Mutable and not thread-safe; {@link #snapshot()} gives an immutable copy
 * to keep in state or to report.
 */
public final class RunningMoments {
  /**
   * @param m2 sum of squared deviations from the mean
   */
  public record Snapshot(long count, double mean, double m2) {
    public Snapshot {
      if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
      if (count == 0 && (mean != 0 || m2 != 0)) throw new IllegalArgumentException("an empty snapshot must have mean 0 and m2 0, got " + mean + ", " + m2);
      if (!(m2 >= 0)) throw new IllegalArgumentException("m2 must be >= 0, got " + m2);
    }

    /** Sample variance (divides by n - 1); NaN below 2 values. */
    public double variance() {
      return count < 2 ? Double.NaN : m2 / (count - 1);
    }
  }

  private long count;
  private double mean;
  private double m2;

  public RunningMoments() {}

  public static RunningMoments of(Snapshot s) {
    RunningMoments m = new RunningMoments();
    m.count = s.count();
    m.mean = s.mean();
    m.m2 = s.m2();
    return m;
  }

  public RunningMoments add(double x) {
    if (!Double.isFinite(x)) throw new IllegalArgumentException("value must be finite, got " + x);
    count++;
    double delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    return this;
  }

  /** Adds {@code other}'s values to this one's, as if they had been added here. */
  public RunningMoments merge(RunningMoments other) {
    if (other.count == 0) return this;
    if (count == 0) {
      count = other.count;
      mean = other.mean;
      m2 = other.m2;
      return this;
    }
    long n = count + other.count;
    double delta = other.mean - mean;
    mean += delta * other.count / n;
    m2 += other.m2 + delta * delta * ((double) count * other.count / n);
    count = n;
    return this;
  }

  public long count() {
    return count;
  }

  /** 0 while empty. */
  public double mean() {
    return mean;
  }

  /** Sample variance (divides by n - 1); NaN below 2 values. */
  public double variance() {
    return count < 2 ? Double.NaN : m2 / (count - 1);
  }

  /** The sum of the values (for 0/1 outcomes, the number of successes), rounded to a long. */
  public long sumRounded() {
    return Math.round(mean * count);
  }

  public Snapshot snapshot() {
    return new Snapshot(count, mean, m2);
  }

  public RunningMoments copy() {
    return of(snapshot());
  }

  @Override
  public String toString() {
    return "RunningMoments[count=" + count + ", mean=" + mean + ", variance=" + variance() + "]";
  }
}
