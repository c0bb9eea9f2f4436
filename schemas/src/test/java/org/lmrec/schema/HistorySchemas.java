package org.lmrec.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Frozen released versions of the schemas, as files: src/main/resources/org/lmrec/schema/history/NAME-vN.avsc. */
final class HistorySchemas {
  private HistorySchemas() {}

  static Path folder() {
    URL url = HistorySchemas.class.getResource("/" + ReleasedSchemas.FOLDER);
    if (url == null) {
      throw new IllegalStateException(ReleasedSchemas.FOLDER + " not found on the classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> files() {
    try (Stream<Path> files = Files.list(folder())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each file gets its own parser: several versions share one full name. */
  static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read history schema " + file, e);
    }
  }

  static Schema load(String fileName) {
    return parse(folder().resolve(fileName));
  }
}
