package org.lmrec.flink.announce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Ed25519 key files of the announcement signatures, with the JDK's {@code java.security} only. A
 * key pair is two files named by its key id: {@code ID.key}, the private key (PKCS#8, PEM), readable
 * by its owner only, and {@code ID.pub}, the public key (X.509 SubjectPublicKeyInfo, PEM), which is
 * what the scorers trust. Both are what {@code openssl pkey} reads; DER files are accepted too. The
 * key id is the file name without its extension: the JDK cannot derive a public key from an Ed25519
 * private key, so the signer learns its id from the file name, as the verifier does.
 */
public final class AnnouncementKeys {
  public static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_SUFFIX = ".key";
  public static final String PUBLIC_SUFFIX = ".pub";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private AnnouncementKeys() {}

  /** The files of a generated pair. */
  public record KeyPairFiles(String keyId, Path privateKey, Path publicKey) {}

  /**
   * Writes a new key pair into {@code dir} (created if missing), never over existing files.
   *
   * @param keyId the id, or null for {@code lmrec-} and the first 12 hex digits of the public key's SHA-256
   */
  public static KeyPairFiles generate(Path dir, String keyId, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, random);
      KeyPair pair = generator.generateKeyPair();
      String id = keyId != null ? checkKeyId(keyId) : "lmrec-" + fingerprint(pair.getPublic()).substring(0, 12);
      Files.createDirectories(dir);
      Path priv = dir.resolve(id + PRIVATE_SUFFIX);
      Path pub = dir.resolve(id + PUBLIC_SUFFIX);
      if (Files.exists(priv) || Files.exists(pub)) {
        throw new IllegalArgumentException("a key " + id + " exists already in " + dir + " (" + priv.getFileName() + " or " + pub.getFileName()
            + "): a key is never overwritten; choose another id or folder");
      }
      writeOwnerOnly(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      return new KeyPairFiles(id, priv, pub);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate " + ALGORITHM + " keys", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a key pair into " + dir, e);
    }
  }

  public static PrivateKey readPrivate(Path file) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not an " + ALGORITHM + " private key in PKCS#8 (PEM or DER): " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublic(Path file) {
    return publicKey(der(file, "PUBLIC KEY"), file.toString());
  }

  static PublicKey publicKey(byte[] x509, String what) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not an " + ALGORITHM + " public key (X.509, PEM or DER): " + e.getMessage(), e);
    }
  }

  /** The key id of a key file: its name without {@code .key} or {@code .pub}. */
  public static String keyIdOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return checkKeyId(dot > 0 ? name.substring(0, dot) : name);
  }

  static String checkKeyId(String id) {
    if (!KEY_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a key id is 1 to 64 letters, digits, '.', '_' or '-', not starting with a punctuation mark; got '" + id + "'");
    }
    return id;
  }

  /** Lower-case hex SHA-256 of the public key's X.509 encoding. */
  public static String fingerprint(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      file.toFile().setWritable(false, false);
      file.toFile().setWritable(true, true);
    }
    Files.writeString(file, text);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(Path file, String type) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key file " + file, e);
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    int start = text.indexOf(begin);
    if (start < 0) return bytes; // DER
    int end = text.indexOf("-----END " + type + "-----", start);
    if (end < 0) throw new IllegalArgumentException(file + ": '" + begin + "' without its END line");
    return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
  }
}
