package org.lmrec.stream.scoring;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the scorer loads announced models off its task thread (see {@link BackgroundModelLoads}).
 *
 * @param timeout a load not finished by then is refused; its thread may still be blocked (a FIFO,
 *     a stalled mount) and keeps counting against {@code maxThreads} until it ends
 * @param maxThreads loader threads that may exist at once, stuck ones included; an announcement
 *     beyond the cap is refused, so a writer of the model topic cannot pile up blocked threads
 */
public record ModelLoading(Duration timeout, int maxThreads) implements Serializable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
  public static final int DEFAULT_MAX_THREADS = 8;

  public ModelLoading {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the load timeout must be positive, got " + timeout);
    if (maxThreads <= 0) throw new IllegalArgumentException("maxThreads must be positive, got " + maxThreads);
  }

  public static ModelLoading defaults() {
    return new ModelLoading(DEFAULT_TIMEOUT, DEFAULT_MAX_THREADS);
  }
}
