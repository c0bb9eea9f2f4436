package org.lmrec.flink.announce;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.lmrec.schema.ModelUpdate;

/**
 * The bytes an announcement's signature covers: every field of a {@link ModelUpdate} except the
 * signature, in a fixed order, each length-prefixed, after a domain tag. Never the Avro bytes, whose
 * encoding a schema change may alter and which are ambiguous between writer schemas.
 *
 * <p>Layout (docs/model-signing.md): the tag {@value #DOMAIN}, then modelVersion, artifactUri,
 * manifestSha256, kind (its symbol), createdAt, modelLine, rollback, keyId. A string is a 4-byte
 * big-endian byte count and its UTF-8 bytes, null is the count -1 and no bytes; createdAt is 8 bytes
 * of epoch milliseconds; rollback is one byte, 0 or 1. A field added to the schema later must be
 * appended here with a new tag, or old signatures would silently cover less than the new reader uses.
 */
public final class SignedFields {
  /** Domain separation: these bytes can never be mistaken for another lmrec signature's. */
  public static final String DOMAIN = "lmrec.ModelUpdate.signature.v1";

  private SignedFields() {}

  public static byte[] of(ModelUpdate u) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      string(out, DOMAIN);
      string(out, u.getModelVersion());
      string(out, u.getArtifactUri());
      string(out, u.getManifestSha256());
      string(out, u.getKind() == null ? null : u.getKind().name());
      out.writeLong(u.getCreatedAt() == null ? Long.MIN_VALUE : u.getCreatedAt().toEpochMilli());
      string(out, u.getModelLine());
      out.writeByte(u.getRollback() ? 1 : 0);
      string(out, u.getKeyId());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  private static void string(DataOutputStream out, CharSequence s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
