package org.lmrec.stream.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The primitives of the job's compact state serializers: unsigned varints, zig-zag varints for
 * signed values and deltas, and strings as a varint length and UTF-8 bytes. Reads check every
 * count, so corrupt bytes become an {@link IOException} naming the state, not a huge allocation.
 */
public final class CompactBinary {
  /** No count in a user's state comes near this; a larger one means the bytes are corrupt. */
  static final int MAX_COUNT = 1 << 24;

  private final String stateName;
  private byte[] buffer = new byte[64];

  /** A reader for one state's bytes; not thread-safe (one per deserialize call). */
  public CompactBinary(String stateName) {
    this.stateName = stateName;
  }

  public static void writeVarInt(DataOutputView out, int v) throws IOException {
    writeVarLong(out, v & 0xFFFFFFFFL);
  }

  public static void writeVarLong(DataOutputView out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Small magnitudes of either sign take few bytes. */
  public static void writeZigZag(DataOutputView out, long v) throws IOException {
    writeVarLong(out, (v << 1) ^ (v >> 63));
  }

  public static void writeString(DataOutputView out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(out, utf8.length);
    out.write(utf8);
  }

  /** A count of something ({@code what} names it in the error), at most {@link #MAX_COUNT}. */
  public int count(DataInputView in, String what) throws IOException {
    long n = readVarLong(in);
    if (n > MAX_COUNT) throw corrupt(n + " " + what);
    return (int) n;
  }

  public long readVarLong(DataInputView in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw corrupt("a varint longer than 10 bytes");
  }

  public long readZigZag(DataInputView in) throws IOException {
    long v = readVarLong(in);
    return (v >>> 1) ^ -(v & 1);
  }

  public String readString(DataInputView in) throws IOException {
    int length = count(in, "bytes in a string");
    if (length > buffer.length) buffer = new byte[Math.max(length, 2 * buffer.length)];
    in.readFully(buffer, 0, length);
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }

  public IOException corrupt(String what) {
    return new IOException("corrupt " + stateName + " state: " + what);
  }
}
