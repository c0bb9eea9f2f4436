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

  /** The arguments whose key starts with {@code prefix}, with the prefix removed. */
  Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new HashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
    });
    return out;
  }

  int getInt(String key, int fallback) {
    return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
  }
}
