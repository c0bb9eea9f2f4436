package org.lmrec.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A MovieLens title such as {@code Toy Story (1995)} split into the name and the year. */
record MovieTitle(String title, String year) {
  private static final Pattern TITLE_WITH_YEAR = Pattern.compile("^(.*\\S)\\s*\\((\\d{4})\\)$");

  /** Splits a trailing {@code (yyyy)} off; {@code year} is null when there is none. */
  static MovieTitle parse(String raw) {
    String s = raw.strip();
    Matcher m = TITLE_WITH_YEAR.matcher(s);
    return m.matches() ? new MovieTitle(m.group(1), m.group(2)) : new MovieTitle(s, null);
  }
}
