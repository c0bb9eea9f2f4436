package org.lmrec.stream.console;

import java.time.Duration;

/**
 * What one tail reads and when it ends.
 *
 * @param fromBeginning start at each partition's first record, else at its end (only what arrives from now on)
 * @param max stop after this many lines (0: no limit)
 * @param timeout stop after this long (null: no limit)
 * @param exitAtEnd stop once every partition is read up to where it ended when the tail started
 * @param userId print only records whose value has this {@code userId} (null: all)
 * @param key print only records with this key (null: all)
 */
record TailSettings(boolean fromBeginning, long max, Duration timeout, boolean exitAtEnd, String userId, String key) {
  TailSettings {
    if (max < 0) throw new IllegalArgumentException("--max must be 0 (no limit) or more, got " + max);
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
  }
}
