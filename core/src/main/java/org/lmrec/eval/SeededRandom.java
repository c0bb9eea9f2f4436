package org.lmrec.eval;

/**
 * SplitMix64 generator written out here so that samples depend only on the seed, never on the JDK's
 * choice of algorithm: published evaluation numbers must be reproducible across Java versions.
 */
final class SeededRandom {
  private long state;

  SeededRandom(long seed) {
    this.state = seed;
  }

  /** A generator for one (seed, key) pair, e.g. (evaluation seed, user): independent streams per user. */
  static SeededRandom forKey(long seed, long key) {
    return new SeededRandom(mix(seed) ^ mix(key + 0x632BE59BD9B4E019L));
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)} without modulo bias. */
  int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
    while (true) {
      int bits = (int) (nextLong() >>> 33); // 31 random bits
      int value = bits % bound;
      if (bits - value + (bound - 1) >= 0) return value; // reject the incomplete last block
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
