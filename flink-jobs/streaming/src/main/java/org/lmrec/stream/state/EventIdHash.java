package org.lmrec.stream.state;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash of an event id (FNV-1a over UTF-8 bytes, then a final avalanche mix), kept in
 * state instead of the id itself: 8 bytes per entry, and a false "duplicate" needs a 2^-64 collision
 * within one user's window.
 */
public final class EventIdHash {
  private EventIdHash() {}

  public static long of(String eventId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : eventId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
