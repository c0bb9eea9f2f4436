package org.lmrec.data;

import java.nio.file.Path;

/**
 * A data file (or data folder) that cannot be read as the expected format.
 *
 * <p>Carries the file, the 1-based line number (0 when the problem is not tied to a line, e.g. an
 * empty file or an unknown folder layout) and the reason, so that a user can go straight to the
 * offending spot. The message names the file, e.g. {@code u.data line 17: expected 4 tab-separated
 * fields, found 3}.
 */
public class DataFormatException extends RuntimeException {
  private final transient Path file;
  private final long line;
  private final String reason;

  public DataFormatException(Path file, long line, String reason) {
    this(file, line, reason, null);
  }

  public DataFormatException(Path file, long line, String reason, Throwable cause) {
    super(format(file, line, reason), cause);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  private static String format(Path file, long line, String reason) {
    Path name = file == null ? null : file.getFileName();
    String where = name == null ? String.valueOf(file) : name.toString();
    return line > 0 ? where + " line " + line + ": " + reason : where + ": " + reason;
  }

  /** The offending file or folder (full path; the message shows only its name). */
  public Path file() {
    return file;
  }

  /** 1-based line number, or 0 when the problem is not tied to one line. */
  public long line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
