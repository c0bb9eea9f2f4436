package org.lmrec.retrainjob.job;

import java.nio.file.Path;
import org.lmrec.flink.announce.AnnouncementSigner;
import picocli.CommandLine.Option;

/** {@code --signing-key FILE} or {@code --unsigned}: how announcements are signed (docs/model-signing.md). */
final class SigningOptions {
  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Ed25519 private key (ID.key, PKCS#8, from 'lmrec-retrain keygen') that signs the announcements; its file name is the key id the scorers trust.")
  Path signingKey;

  @Option(names = "--unsigned", description = "Announce without a signature: only scorers with lmrec.models.require-signature: false accept it.")
  boolean unsigned;

  /** The signer, or null with {@code --unsigned}; one of the two options is required. */
  AnnouncementSigner signer() {
    if (signingKey != null && unsigned) throw new IllegalArgumentException("give either --signing-key or --unsigned, not both");
    if (signingKey != null) return AnnouncementSigner.fromFile(signingKey);
    if (unsigned) return null;
    throw new IllegalArgumentException("--signing-key FILE is required: the streaming job refuses unsigned announcements by default "
        + "(create a key pair with 'lmrec-retrain keygen DIR'; --unsigned announces without a signature)");
  }
}
