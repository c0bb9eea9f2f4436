package org.lmrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: the small fixture folders under src/test/resources/data and temp-file writing. */
final class DataFixtures {
  private DataFixtures() {}

  static Path fixture(String relative) {
    URL url = DataFixtures.class.getResource("/data/" + relative);
    if (url == null) throw new IllegalStateException("missing test fixture data/" + relative);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path write(Path dir, String name, String content) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeBytes(Path dir, String name, byte[] content) {
    try {
      Path p = dir.resolve(name);
      Files.write(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a fixture folder into {@code dir} so a test can change or remove one of its files. */
  static Path copyFixture(String folder, Path dir) {
    try {
      Path target = dir.resolve(folder);
      Files.createDirectories(target);
      try (var files = Files.list(fixture(folder))) {
        for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sequences as external item ids, per user id, e.g. "3 -> [20, 10]": readable assertion targets. */
  static List<String> sequencesById(Dataset d) {
    List<String> out = new ArrayList<>();
    for (int u = 0; u < d.numUsers(); u++) {
      List<String> items = new ArrayList<>();
      for (int item : d.sequence(u)) items.add(d.itemId(item));
      out.add(d.userId(u) + " -> " + items);
    }
    return out;
  }
}
