package org.lmrec.flink.announce;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lmrec.schema.ModelUpdate;

/**
 * The scorer's side of signed announcements: which Ed25519 public keys are trusted, by key id, and
 * whether an announcement must be signed. Anyone who can write the model-update topic could
 * otherwise choose the served model. A signature that does not verify is always refused; an
 * unsigned announcement (or one by an unknown key) only when signatures are required, and a
 * rollback always, since it names an older version on purpose.
 */
public final class AnnouncementVerifier implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Longest key id quoted in a reason: the id comes from the wire. */
  private static final int QUOTED = 64;

  /** X.509 encodings by key id: serializable, turned into keys where checked. */
  private final Map<String, byte[]> trusted;
  private final boolean required;
  private transient Map<String, PublicKey> keys;

  public AnnouncementVerifier(Map<String, PublicKey> trusted, boolean required) {
    if (required && trusted.isEmpty()) {
      throw new IllegalArgumentException("lmrec.models.require-signature is on but no trusted key is configured: set lmrec.models.trusted-keys "
          + "to the publisher's public key file(s) or their folder (lmrec-retrain keygen DIR writes a pair, docs/model-signing.md), "
          + "or set lmrec.models.require-signature: false to accept unsigned announcements");
    }
    Map<String, byte[]> encoded = new TreeMap<>();
    trusted.forEach((id, key) -> encoded.put(AnnouncementKeys.checkKeyId(id), key.getEncoded()));
    this.trusted = encoded;
    this.required = required;
  }

  /**
   * Trusts every public key in {@code paths}: files, or folders whose {@code *.pub} files are read.
   * Each key's id is its file name without the extension.
   */
  public static AnnouncementVerifier fromFiles(List<Path> paths, boolean required) {
    Map<String, PublicKey> keys = new TreeMap<>();
    for (Path p : paths) {
      List<Path> files;
      if (Files.isDirectory(p)) {
        try (Stream<Path> listed = Files.list(p)) {
          files = listed.filter(f -> f.getFileName().toString().endsWith(AnnouncementKeys.PUBLIC_SUFFIX)).sorted().toList();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list the trusted keys in " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        files = List.of(p);
      } else {
        throw new IllegalArgumentException("lmrec.models.trusted-keys: " + p + " is neither a public key file nor a folder");
      }
      for (Path f : files) {
        String id = AnnouncementKeys.keyIdOf(f);
        if (keys.put(id, AnnouncementKeys.readPublic(f)) != null) {
          throw new IllegalArgumentException("lmrec.models.trusted-keys: two keys have the id '" + id + "' (" + f + ")");
        }
      }
    }
    return new AnnouncementVerifier(keys, required);
  }

  /** Accepts everything unsigned: for tools whose announcements the operator chose. */
  public static AnnouncementVerifier notRequired() {
    return new AnnouncementVerifier(Map.of(), false);
  }

  public boolean required() {
    return required;
  }

  /** Why {@code u} is refused ({@code "ModelUpdate refused: ..."}), or empty when it may be loaded. */
  public Optional<String> refusal(ModelUpdate u) {
    String what = (u.getRollback() ? "rollback to " : "announcement of ") + "version " + quote(u.getModelVersion())
        + (u.getModelLine() == null ? "" : " of line " + quote(u.getModelLine()));
    boolean mustBeSigned = required || u.getRollback();
    if (u.getKeyId() == null || u.getSignature() == null) {
      if (!mustBeSigned) return Optional.empty();
      return refused("the " + what + " is unsigned" + (required ? " (lmrec.models.require-signature is on)" : "; a rollback must be signed"));
    }
    PublicKey key = keys().get(u.getKeyId());
    if (key == null) {
      if (!mustBeSigned) return Optional.empty();
      return refused("the " + what + " is signed with key " + quote(u.getKeyId()) + ", which is not among the trusted keys " + trusted.keySet()
          + " (lmrec.models.trusted-keys)");
    }
    if (!verifies(u, key)) {
      return refused("the signature of the " + what + " does not verify with trusted key " + quote(u.getKeyId())
          + ": a signed field was changed, or another key signed it");
    }
    return Optional.empty();
  }

  private static boolean verifies(ModelUpdate u, PublicKey key) {
    ByteBuffer sig = u.getSignature().duplicate();
    byte[] bytes = new byte[sig.remaining()];
    sig.get(bytes);
    try {
      Signature s = Signature.getInstance(AnnouncementKeys.ALGORITHM);
      s.initVerify(key);
      s.update(SignedFields.of(u));
      return s.verify(bytes);
    } catch (GeneralSecurityException | IllegalArgumentException malformed) {
      return false; // a signature of the wrong length or form is a bad signature, not a failure
    }
  }

  private Map<String, PublicKey> keys() {
    if (keys == null) {
      Map<String, PublicKey> k = new TreeMap<>();
      trusted.forEach((id, x509) -> k.put(id, AnnouncementKeys.publicKey(x509, "trusted key " + id)));
      keys = k;
    }
    return keys;
  }

  private static Optional<String> refused(String why) {
    return Optional.of("ModelUpdate refused: " + why);
  }

  /** A value from the wire, quoted, cut and escaped: a reason must not carry line breaks or bidirectional controls. */
  private static String quote(String s) {
    return "'" + org.lmrec.flink.deadletter.LogSafe.text(s, QUOTED) + "'";
  }

  @Override
  public String toString() {
    return (required ? "signatures required" : "signatures optional") + ", trusted keys " + trusted.keySet();
  }
}
