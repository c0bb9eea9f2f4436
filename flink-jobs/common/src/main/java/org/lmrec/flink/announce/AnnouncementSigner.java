package org.lmrec.flink.announce;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import org.lmrec.schema.ModelUpdate;

/** Signs model announcements with one Ed25519 private key (the publisher's side). */
public final class AnnouncementSigner {
  private final String keyId;
  private final PrivateKey key;

  public AnnouncementSigner(String keyId, PrivateKey key) {
    this.keyId = AnnouncementKeys.checkKeyId(keyId);
    this.key = key;
  }

  /** The private key file {@code ID.key} (PKCS#8), whose name gives the key id. */
  public static AnnouncementSigner fromFile(Path privateKeyFile) {
    return new AnnouncementSigner(AnnouncementKeys.keyIdOf(privateKeyFile), AnnouncementKeys.readPrivate(privateKeyFile));
  }

  public String keyId() {
    return keyId;
  }

  /** A copy of {@code update} with this key's id and its signature over {@link SignedFields}. */
  public ModelUpdate sign(ModelUpdate update) {
    ModelUpdate signed = ModelUpdate.newBuilder(update).setKeyId(keyId).setSignature(null).build();
    try {
      Signature s = Signature.getInstance(AnnouncementKeys.ALGORITHM);
      s.initSign(key);
      s.update(SignedFields.of(signed));
      signed.setSignature(ByteBuffer.wrap(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with key " + keyId, e);
    }
    return signed;
  }

  @Override
  public String toString() {
    return "signer with key " + keyId; // never the key itself
  }
}
