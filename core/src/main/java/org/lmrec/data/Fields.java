package org.lmrec.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splitting and strict parsing of the fields of one data line, with errors that say where and why. */
final class Fields {
  private Fields() {}

  /** Splits on a literal separator, keeping empty fields (so a missing value is visible as ""). */
  static String[] split(String line, String separator) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int at;
    while ((at = line.indexOf(separator, start)) >= 0) {
      out.add(line.substring(start, at));
      start = at + separator.length();
    }
    out.add(line.substring(start));
    return out.toArray(new String[0]);
  }

  /** Splits on runs of spaces/tabs, ignoring leading and trailing ones (no regex: called per line). */
  static String[] splitWhitespace(String line) {
    List<String> out = new ArrayList<>(4);
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) i++;
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) i++;
      if (i > start) out.add(line.substring(start, i));
    }
    return out.toArray(new String[0]);
  }

  /** Fails unless there are exactly {@code expected} fields; {@code kind} names the separator, e.g. "tab-separated". */
  static void expectCount(Path file, long line, String[] fields, int expected, String kind) {
    if (fields.length != expected) {
      throw new DataFormatException(
          file, line, "expected " + expected + " " + kind + " fields, found " + fields.length);
    }
  }

  /** Returns the value unchanged when it is a (possibly negative) decimal integer; {@code what} names it in errors. */
  static String integerId(Path file, long line, String value, String what) {
    parseLong(file, line, value, what);
    return value;
  }

  static long parseLong(Path file, long line, String value, String what) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, line, what + " '" + value + "' is not an integer");
    }
  }

  static double parseDouble(Path file, long line, String value, String what) {
    try {
      double d = Double.parseDouble(value);
      if (Double.isFinite(d)) return d;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataFormatException(file, line, what + " '" + value + "' is not a number");
  }

  /** Epoch seconds from an integer or a decimal text (RecBole writes times as floats). */
  static long parseEpochSeconds(Path file, long line, String value, String what) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return (long) Math.floor(parseDouble(file, line, value, what));
    }
  }

  static String nonEmpty(Path file, long line, String value, String what) {
    if (value.isBlank()) throw new DataFormatException(file, line, what + " is empty");
    return value;
  }

  /** Adds a stripped attribute value, leaving out null and blank values (they carry no text). */
  static void putIfPresent(Map<String, String> attrs, String key, String value) {
    if (value != null && !value.isBlank()) attrs.put(key, value.strip());
  }
}
