package org.lmrec.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Record keys: mostly the expected one, sometimes none, random bytes, or a key far over any sane size. */
final class Keys {
  private Keys() {}

  static byte[] draw(SplittableRandom r, String expected) {
    switch (r.nextInt(10)) {
      case 0: return null;
      case 1: return Mutations.randomBytes(r, 64);
      case 2: return ("k\n" + EdgeValues.FORGED_LOG_LINE + " " + "x".repeat(2_000 + r.nextInt(8_000))).getBytes(StandardCharsets.UTF_8);
      default: return expected == null ? null : expected.getBytes(StandardCharsets.UTF_8);
    }
  }
}
