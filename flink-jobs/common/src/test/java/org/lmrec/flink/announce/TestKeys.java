package org.lmrec.flink.announce;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Seeded Ed25519 key pairs for tests that announce models: the same seed gives the same key. */
public final class TestKeys {
  private TestKeys() {}

  /** A new key pair {@code keyId}.key/.pub in {@code dir}, from {@code seed}. */
  public static AnnouncementKeys.KeyPairFiles write(Path dir, String keyId, long seed) {
    return AnnouncementKeys.generate(dir, keyId, seeded(seed));
  }

  /** Writes a seeded pair into {@code dir} and returns its signer; the job trusts {@code dir} (its .pub files). */
  public static AnnouncementSigner signer(Path dir, String keyId, long seed) {
    return AnnouncementSigner.fromFile(write(dir, keyId, seed).privateKey());
  }

  public static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG"); // deterministic once seeded before first use
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
