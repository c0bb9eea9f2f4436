package org.lmrec.bench.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Byte-level damage to valid records, all drawn from the caller's seeded random. */
final class Mutations {
  private Mutations() {}

  static byte[] randomBytes(SplittableRandom r, int maxLength) {
    byte[] b = new byte[r.nextInt(maxLength + 1)];
    r.nextBytes(b);
    return b;
  }

  /** 1 to 8 flipped bits at random positions; an empty input stays empty. */
  static byte[] bitFlipped(SplittableRandom r, byte[] valid) {
    byte[] b = valid.clone();
    if (b.length == 0) return b;
    int flips = 1 + r.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int bit = r.nextInt(b.length * 8);
      b[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return b;
  }

  /** A strict prefix of {@code valid} (possibly empty). */
  static byte[] truncated(SplittableRandom r, byte[] valid) {
    return Arrays.copyOf(valid, valid.length == 0 ? 0 : r.nextInt(valid.length));
  }

  /** {@code valid} followed by filler up to {@code length} bytes: over the job's payload cap when length is. */
  static byte[] padded(SplittableRandom r, byte[] valid, int length) {
    byte[] b = Arrays.copyOf(valid, Math.max(length, valid.length));
    if (r.nextBoolean()) for (int i = valid.length; i < b.length; i++) b[i] = (byte) r.nextInt(256);
    return b;
  }
}
