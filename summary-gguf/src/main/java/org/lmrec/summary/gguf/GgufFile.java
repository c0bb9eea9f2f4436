package org.lmrec.summary.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads and checks a GGUF file's header (format: ggml's docs/gguf.md) before llama.cpp's native
 * loader sees it: a checkpoint path is input like any other, and a malformed file must be refused
 * with a reason, not crash the JVM. Checks the magic and version, bounds every count and string by
 * the file's size, and that each tensor's data (for the types whose size it knows) lies inside the
 * file, aligned. Keeps the few metadata values lmrec uses.
 *
 * @param version GGUF version (2 or 3)
 * @param architecture {@code general.architecture}, e.g. {@code llama}
 * @param name {@code general.name}, or "" when absent
 * @param contextLength {@code <arch>.context_length}, or 0 when absent
 * @param chatTemplate {@code tokenizer.chat_template}, or "" when absent
 * @param tensors the number of tensors
 * @param fingerprint size and SHA-256 of the file's first {@link #FINGERPRINT_BYTES} bytes (header and the first weights)
 */
public record GgufFile(int version, String architecture, String name, long contextLength, String chatTemplate, long tensors, String fingerprint) {
  static final int MAGIC = 0x46554747; // "GGUF" little-endian
  static final long MAX_COUNT = 1 << 20;
  static final int MAX_KEY_BYTES = 65_535;
  static final int MAX_VALUE_BYTES = 16 << 20;
  static final int FINGERPRINT_BYTES = 16 << 20;

  /** Bytes per block and elements per block of the ggml types whose layout is fixed; others are only bounds-checked. */
  private static final Map<Integer, int[]> TYPE_SIZES = Map.ofEntries(
      Map.entry(0, new int[] {4, 1}), Map.entry(1, new int[] {2, 1}), Map.entry(2, new int[] {18, 32}), Map.entry(3, new int[] {20, 32}),
      Map.entry(6, new int[] {22, 32}), Map.entry(7, new int[] {24, 32}), Map.entry(8, new int[] {34, 32}), Map.entry(10, new int[] {84, 256}),
      Map.entry(11, new int[] {110, 256}), Map.entry(12, new int[] {144, 256}), Map.entry(13, new int[] {176, 256}),
      Map.entry(14, new int[] {210, 256}), Map.entry(24, new int[] {1, 1}), Map.entry(25, new int[] {2, 1}), Map.entry(26, new int[] {4, 1}),
      Map.entry(27, new int[] {8, 1}), Map.entry(28, new int[] {8, 1}), Map.entry(30, new int[] {2, 1}));

  /** Reads {@code path}'s header; an {@link IOException} names what is wrong. */
  public static GgufFile read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) throw new IOException(path + " is not a regular file");
    long size = Files.size(path);
    try (InputStream in = Files.newInputStream(path)) {
      Reader r = new Reader(new BufferedInputStream(in, 1 << 16), size, path);
      GgufFile header = r.header();
      return new GgufFile(header.version, header.architecture, header.name, header.contextLength, header.chatTemplate, header.tensors,
          fingerprint(path, size));
    }
  }

  private static String fingerprint(Path path, long size) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      long left = Math.min(size, FINGERPRINT_BYTES);
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) break;
        sha.update(buffer, 0, n);
        left -= n;
      }
      return size + ":" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Little-endian reads that never go past the file's size. */
  private static final class Reader {
    private final DataInputStream in;
    private final long size;
    private final Path path;
    private long position;

    Reader(InputStream in, long size, Path path) {
      this.in = new DataInputStream(in);
      this.size = size;
      this.path = path;
    }

    GgufFile header() throws IOException {
      if (size < 24) throw bad("is " + size + " bytes, too short for a GGUF header");
      if (u32() != MAGIC) throw bad("does not start with GGUF's magic");
      int version = (int) u32();
      if (version != 2 && version != 3) throw bad("has GGUF version " + version + "; versions 2 and 3 are read");
      long tensors = count("tensor count");
      long kvs = count("metadata count");
      String architecture = "";
      String name = "";
      String chatTemplate = "";
      long alignment = 32;
      Map<String, Long> numbers = new java.util.HashMap<>();
      for (long i = 0; i < kvs; i++) {
        String key = string(MAX_KEY_BYTES, "metadata key");
        int type = (int) u32();
        if (type == 8) {
          String value = string(MAX_VALUE_BYTES, "value of " + key);
          switch (key) {
            case "general.architecture" -> architecture = value;
            case "general.name" -> name = value;
            case "tokenizer.chat_template" -> chatTemplate = value;
            default -> {}
          }
        } else if (type == 9) {
          array(key, 0);
        } else {
          long value = scalar(type, key);
          numbers.put(key, value);
          if (key.equals("general.alignment")) alignment = value;
        }
      }
      if (architecture.isBlank()) throw bad("has no general.architecture");
      if (alignment < 1 || alignment > 1 << 16 || Long.bitCount(alignment) != 1) throw bad("has a general.alignment of " + alignment);
      long[] offsets = new long[(int) tensors];
      long[] bytes = new long[(int) tensors];
      for (int t = 0; t < tensors; t++) {
        String tensor = string(MAX_KEY_BYTES, "tensor name");
        int dims = (int) u32();
        if (dims < 1 || dims > 4) throw bad("tensor " + tensor + " has " + dims + " dimensions");
        long elements = 1;
        long first = 0;
        for (int d = 0; d < dims; d++) {
          long n = u64();
          if (n < 1 || n > size * 8) throw bad("tensor " + tensor + " has a dimension of " + n);
          if (d == 0) first = n;
          elements = Math.multiplyExact(elements, n);
        }
        int type = (int) u32();
        offsets[t] = u64();
        if (offsets[t] < 0 || offsets[t] % alignment != 0) throw bad("tensor " + tensor + " has a misaligned offset " + offsets[t]);
        int[] layout = TYPE_SIZES.get(type);
        if (layout != null) {
          if (first % layout[1] != 0) throw bad("tensor " + tensor + "'s rows of " + first + " do not fill blocks of " + layout[1]);
          bytes[t] = Math.multiplyExact(elements / layout[1], (long) layout[0]);
        }
      }
      long dataStart = (position + alignment - 1) / alignment * alignment;
      for (int t = 0; t < tensors; t++) {
        long end = dataStart + offsets[t] + bytes[t];
        if (dataStart + offsets[t] >= size || end > size) throw bad("tensor " + t + "'s data ends at byte " + end + ", past the file's end (" + size + ")");
      }
      long context = numbers.getOrDefault(architecture + ".context_length", 0L);
      return new GgufFile(version, architecture, name, context, chatTemplate, tensors, "");
    }

    private void array(String key, int depth) throws IOException {
      if (depth > 1) throw bad("nests arrays deeper than two levels at " + key);
      int type = (int) u32();
      long n = count("length of " + key);
      for (long i = 0; i < n; i++) {
        if (type == 8) string(MAX_VALUE_BYTES, "element of " + key);
        else if (type == 9) array(key, depth + 1);
        else scalar(type, key);
      }
    }

    private long scalar(int type, String key) throws IOException {
      return switch (type) {
        case 0, 1, 7 -> in1();
        case 2, 3 -> u16();
        case 4, 5, 6 -> u32();
        case 10, 11, 12 -> u64();
        default -> throw bad("has an unknown value type " + type + " at " + key);
      };
    }

    private long count(String what) throws IOException {
      long n = u64();
      if (n < 0 || n > MAX_COUNT || n > size) throw bad("has a " + what + " of " + Long.toUnsignedString(n));
      return n;
    }

    private String string(int maxBytes, String what) throws IOException {
      long n = u64();
      if (n < 0 || n > maxBytes) throw bad("has a " + what + " of " + Long.toUnsignedString(n) + " bytes");
      if (position + n > size) throw bad("ends inside its header (a " + what + " of " + n + " bytes at byte " + position + ")");
      byte[] b = new byte[(int) n];
      in.readFully(b);
      position += n;
      return new String(b, StandardCharsets.UTF_8);
    }

    private long in1() throws IOException {
      return read(1);
    }

    private long u16() throws IOException {
      return read(2);
    }

    private long u32() throws IOException {
      return read(4);
    }

    private long u64() throws IOException {
      return read(8);
    }

    /** A little-endian unsigned value of {@code bytes} bytes (a u64 above 2^63 comes back negative, and is refused where it counts). */
    private long read(int bytes) throws IOException {
      position += bytes;
      if (position > size) throw bad("ends inside its header");
      long v = 0;
      try {
        for (int i = 0; i < bytes; i++) v |= (long) in.readUnsignedByte() << (8 * i);
      } catch (EOFException e) {
        throw bad("ends inside its header");
      }
      return v;
    }

    private IOException bad(String what) {
      return new IOException(path.getFileName() + " is not a usable GGUF checkpoint: it " + what);
    }
  }
}
