package org.lmrec.deploy.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Kubernetes manifests: every YAML document of every {@code *.yaml}/{@code *.yml} file of a folder. */
public final class Manifests {
  private Manifests() {}

  /** One YAML document: where it is, and its tree. */
  public record Manifest(Path file, int index, JsonNode doc) {
    public String kind() {
      return doc.path("kind").asText("");
    }

    public String apiVersion() {
      return doc.path("apiVersion").asText("");
    }

    public String name() {
      return doc.path("metadata").path("name").asText("");
    }

    public String where() {
      return file.getFileName() + "#" + index + " (" + kind() + " " + name() + ")";
    }
  }

  /**
   * The YAML reader: a key given twice in one mapping is an error (kubectl would keep one of the
   * two silently), so a manifest cannot say two things.
   */
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The manifests of {@code dir} (not its subfolders), files in name order, documents in file order; empty documents skipped. */
  public static List<Manifest> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))).sorted().toList();
    }
    List<Manifest> out = new ArrayList<>();
    for (Path f : files) out.addAll(loadFile(f));
    return out;
  }

  /** The documents of one file; a YAML syntax error or duplicate key throws, naming the file. */
  public static List<Manifest> loadFile(Path file) throws IOException {
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      int i = 0;
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) continue;
        out.add(new Manifest(file, i++, doc));
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    return out;
  }
}
