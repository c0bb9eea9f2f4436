package org.lmrec.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a text file line by line with 1-based line numbers.
 *
 * <p>Lines are split on bytes and decoded one at a time so that an invalid byte sequence is reported
 * at its true line (a buffered Reader would fail somewhere ahead of it). Blank lines are accepted only
 * at the end of a file, because a blank line in the middle usually means a broken export and
 * skipping it silently would hide that.
 */
final class TextLines {
  @FunctionalInterface
  interface LineHandler {
    void line(long number, String text);
  }

  private TextLines() {}

  /** Calls {@code handler} for each non-blank line; returns how many there were (at least one). */
  static long forEach(Path file, Charset charset, LineHandler handler) {
    requireRegularFile(file);
    CharsetDecoder decoder =
        charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    boolean asciiCompatible =
        charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII);
    long number = 0;
    long firstBlank = 0;
    long contentLines = 0;
    try (InputStream in = Files.newInputStream(file)) {
      LineSplitter lines = new LineSplitter(in);
      while (lines.next()) {
        number++;
        int len = lines.length;
        byte[] buf = lines.line;
        if (len > 0 && buf[len - 1] == '\r') len--;
        int start = 0;
        if (number == 1 && charset.equals(StandardCharsets.UTF_8) && startsWithBom(buf, len)) start = 3;
        String text;
        if (isAscii(buf, start, len) && asciiCompatible) {
          text = new String(buf, start, len - start, StandardCharsets.ISO_8859_1); // fast path, same result
        } else {
          try {
            text = decoder.decode(ByteBuffer.wrap(buf, start, len - start)).toString();
          } catch (CharacterCodingException e) {
            throw new DataFormatException(file, number, "not valid " + charset.name() + " text", e);
          }
        }
        if (text.isBlank()) {
          if (firstBlank == 0) firstBlank = number;
          continue;
        }
        if (firstBlank != 0) {
          throw new DataFormatException(
              file, firstBlank, "blank line inside the data (blank lines are only allowed at the end of the file)");
        }
        contentLines++;
        handler.line(number, text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (contentLines == 0) throw new DataFormatException(file, 0, "file is empty");
    return contentLines;
  }

  /** Splits a byte stream on '\n' using one read buffer, so large files are not read byte by byte. */
  private static final class LineSplitter {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    byte[] line = new byte[256];
    int length;

    LineSplitter(InputStream in) {
      this.in = in;
    }

    /** Loads the next line into {@link #line}; false at the end of the stream. */
    boolean next() throws IOException {
      length = 0;
      boolean any = false;
      while (true) {
        if (pos == end) {
          if (eof) return any;
          end = in.read(chunk, 0, chunk.length);
          pos = 0;
          if (end <= 0) {
            end = 0;
            eof = true;
            return any;
          }
        }
        any = true;
        int i = pos;
        while (i < end && chunk[i] != '\n') i++;
        append(pos, i - pos);
        if (i < end) {
          pos = i + 1;
          return true;
        }
        pos = end;
      }
    }

    private void append(int from, int count) {
      if (length + count > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
      System.arraycopy(chunk, from, line, length, count);
      length += count;
    }
  }

  private static boolean isAscii(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) if (buf[i] < 0) return false;
    return true;
  }

  private static boolean startsWithBom(byte[] buf, int len) {
    return len >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF;
  }

  /** Fails with a {@link DataFormatException} naming the file when it is missing or not a file. */
  static void requireRegularFile(Path file) {
    if (!Files.exists(file)) throw new DataFormatException(file, 0, "file not found (" + file.toAbsolutePath() + ")");
    if (!Files.isRegularFile(file)) throw new DataFormatException(file, 0, "not a regular file");
    if (!Files.isReadable(file)) throw new DataFormatException(file, 0, "not readable (check its permissions)");
  }
}
