package org.lmrec.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments of the benchmark harnesses. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      values.put(a.substring(0, eq), a.substring(eq + 1));
    }
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  int getInt(String key, int fallback) {
    return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
  }
}
