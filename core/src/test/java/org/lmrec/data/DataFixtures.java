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

  /**
   * A fixture file or folder under its real name. The files are stored as {@code fixture-<name>}
   * so that no tracked file carries the name of a licensed dataset's file (u.data, movies.dat, ...);
   * they are hand-written, a few lines each. The tree is copied once per JVM into a temp folder.
   */
  static Path fixture(String relative) {
    return materialized().resolve(relative);
  }

  private static final String PREFIX = "fixture-";
  private static Path materializedRoot;

  private static synchronized Path materialized() {
    if (materializedRoot != null) return materializedRoot;
    URL url = DataFixtures.class.getResource("/data");
    if (url == null) throw new IllegalStateException("missing test fixtures under data/");
    try {
      Path source = Path.of(url.toURI());
      Path target = Files.createTempDirectory("lmrec-fixtures");
      try (var files = Files.walk(source)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = f.getFileName().toString();
          String realName = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
          Path dest = target.resolve(source.relativize(f.getParent())).resolve(realName);
          Files.createDirectories(dest.getParent());
          Files.copy(f, dest);
        }
      }
      materializedRoot = target;
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
