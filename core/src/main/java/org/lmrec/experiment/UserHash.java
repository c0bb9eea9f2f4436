package org.lmrec.experiment;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The first 8 bytes of SHA-256 over NUL-separated UTF-8 parts, as a long. SHA-256 rather than
 * {@code String.hashCode}: every JVM, language and later version of this code must put a user in
 * the same arm, and nearby user ids must not land in nearby buckets. Holds one digest and one
 * output buffer, so it allocates little per call and is NOT thread-safe.
 */
final class UserHash {
  private final MessageDigest sha256;
  private final byte[] out = new byte[32];

  UserHash() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** SHA-256 of {@code salt \0 userId}: the arm bucket's hash. */
  long first64(String salt, String userId) {
    sha256.update(salt.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(userId.getBytes(StandardCharsets.UTF_8));
    return finish();
  }

  /** SHA-256 of {@code salt \0 domain \0 userId}: independent of {@link #first64(String, String)} for the same salt. */
  long first64(String salt, String domain, String userId) {
    sha256.update(salt.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(domain.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(userId.getBytes(StandardCharsets.UTF_8));
    return finish();
  }

  private long finish() {
    try {
      sha256.digest(out, 0, out.length);
    } catch (DigestException e) {
      throw new IllegalStateException("a 32-byte buffer holds a SHA-256 digest", e);
    }
    long h = 0;
    for (int i = 0; i < 8; i++) h = (h << 8) | (out[i] & 0xFF);
    return h;
  }

  /** A uniform double in [0, 1) from the top 53 bits. */
  static double unitInterval(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }
}
