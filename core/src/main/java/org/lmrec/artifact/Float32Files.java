package org.lmrec.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Raw little-endian float32 files (row-major, no header): the weight format any runtime can read without DJL.
 * Reading streams in chunks so that checksum, size and finiteness are checked in one pass.
 */
final class Float32Files {
  private static final int CHUNK_BYTES = 1 << 20;

  private Float32Files() {}

  /** Writes {@code data} and returns the hex SHA-256 of the written bytes. */
  static String write(Path file, float[] data) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int off = 0; off < data.length; ) {
        int n = Math.min(CHUNK_BYTES / Float.BYTES, data.length - off);
        buf.clear();
        buf.asFloatBuffer().put(data, off, n);
        buf.limit(n * Float.BYTES);
        digest.update(buf.array(), 0, buf.limit());
        while (buf.hasRemaining()) ch.write(buf);
        off += n;
      }
      ch.force(true);
    }
    return Sha256.hex(digest);
  }

  /**
   * Reads and checks one tensor file against its manifest entry: size, then checksum, then finiteness (in that
   * order, so that a corrupted file is reported as corrupted rather than as a model that diverged).
   *
   * @param keep false to verify only; the values are then not retained and null is returned
   */
  static float[] readChecked(Path file, String tensorName, TensorEntry entry, boolean keep) {
    long count = entry.elementCount();
    long expectedBytes = count * Float.BYTES;
    if (!Files.isRegularFile(file)) {
      throw new ArtifactException(file, "missing weight file for tensor '" + tensorName + "'");
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new ArtifactException(file, "tensor '" + tensorName + "' shape " + Arrays.toString(entry.shape())
          + " has " + count + " elements, more than a Java array can hold");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size != expectedBytes) {
        throw new ArtifactException(file, "size " + size + " bytes does not match tensor '" + tensorName
            + "' shape " + Arrays.toString(entry.shape()) + " float32, which needs " + expectedBytes + " bytes");
      }
      MessageDigest digest = Sha256.newDigest();
      float[] values = keep ? new float[(int) count] : null;
      float[] scratch = keep ? null : new float[CHUNK_BYTES / Float.BYTES];
      ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      long firstNonFinite = -1;
      float nonFiniteValue = 0f;
      int off = 0;
      while (off < count) {
        buf.clear();
        buf.limit((int) Math.min(CHUNK_BYTES, (count - off) * Float.BYTES));
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) throw new ArtifactException(file, "file shrank while being read");
        }
        buf.flip();
        digest.update(buf.array(), 0, buf.limit());
        int n = buf.limit() / Float.BYTES;
        float[] dest = keep ? values : scratch;
        int destOff = keep ? off : 0;
        buf.asFloatBuffer().get(dest, destOff, n);
        if (firstNonFinite < 0) {
          for (int i = 0; i < n; i++) {
            if (!Float.isFinite(dest[destOff + i])) {
              firstNonFinite = off + i;
              nonFiniteValue = dest[destOff + i];
              break;
            }
          }
        }
        off += n;
      }
      String actual = Sha256.hex(digest);
      if (!actual.equalsIgnoreCase(entry.sha256())) {
        throw new ArtifactException(file, "SHA-256 mismatch for tensor '" + tensorName + "': expected "
            + entry.sha256() + ", actual " + actual);
      }
      if (firstNonFinite >= 0) {
        throw new ArtifactException(file, "tensor '" + tensorName + "' has non-finite value " + nonFiniteValue
            + " at flat index " + firstNonFinite + " (position "
            + Arrays.toString(position(firstNonFinite, entry.shape())) + ")");
      }
      return values;
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read weight file for tensor '" + tensorName + "': " + e, e);
    }
  }

  /** Row-major multi-index of a flat index, so the error points at a row of an embedding table. */
  static int[] position(long flat, int[] shape) {
    int[] pos = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      pos[d] = (int) (flat % shape[d]);
      flat /= shape[d];
    }
    return pos;
  }
}
