package org.lmrec.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lmrec.artifact.ArtifactException;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.Manifest;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.Sha256;

/**
 * The items' texts a summariser needs where only item ids flow (the streaming job): id, title,
 * attributes, and the LM embedding the extractive summariser uses. An optional part of a model
 * artifact, two files listed with their SHA-256 in the manifest's {@code files}:
 *
 * <ul>
 *   <li>{@value #ITEMS_FILE}: UTF-8 JSON lines; line 1 the header {@code {"format":1,"items":N,"dim":D,"embedding":"..."}},
 *       then one {@code {"id":..,"title":..,"attributes":{..}}} per item;
 *   <li>{@value #EMBEDDINGS_FILE}: N x D little-endian float32, row i for item line i.
 * </ul>
 *
 * <p>The reader trusts nothing: sizes are checked against {@link Limits} before a byte is read,
 * the checksums against the manifest, every line and value against the caps. A refusal is an
 * {@link ArtifactException} with the reason; whoever reads the catalogue then goes on without it.
 */
public final class SummaryCatalogue {
  public static final String ITEMS_FILE = "summary-catalogue.jsonl";
  public static final String EMBEDDINGS_FILE = "summary-catalogue.f32";
  public static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Caps of the reader, with the defaults beside them. */
  public record Limits(long maxBytes, int maxItems, int maxDim, int maxLineChars, int maxTitleChars, int maxAttributes, int maxValueChars) {
    public static Limits defaults() {
      return new Limits(512L << 20, 5_000_000, 4096, 16 * 1024, 1000, 32, 1000);
    }

    public Limits {
      if (maxBytes < 1 || maxItems < 1 || maxDim < 1 || maxLineChars < 1 || maxTitleChars < 1 || maxAttributes < 0 || maxValueChars < 1) {
        throw new IllegalArgumentException("summary catalogue limits must be positive");
      }
    }

    public Limits withMaxBytes(long bytes) {
      return new Limits(bytes, maxItems, maxDim, maxLineChars, maxTitleChars, maxAttributes, maxValueChars);
    }
  }

  /** One item as the writer takes it. */
  public record Entry(String id, String title, Map<String, String> attributes, float[] embedding) {}

  private final Map<String, Integer> index;
  private final String[] titles;
  private final List<Map<String, String>> attributes;
  private final float[] embeddings;
  private final int dim;
  private final String embeddingName;

  private SummaryCatalogue(Map<String, Integer> index, String[] titles, List<Map<String, String>> attributes, float[] embeddings, int dim,
      String embeddingName) {
    this.index = index;
    this.titles = titles;
    this.attributes = attributes;
    this.embeddings = embeddings;
    this.dim = dim;
    this.embeddingName = embeddingName;
  }

  public int size() {
    return titles.length;
  }

  public int dim() {
    return dim;
  }

  /** Which embedding the rows are, e.g. {@code lm:all-MiniLM-L6-v2} or {@code model:item_embedding}. */
  public String embeddingName() {
    return embeddingName;
  }

  public boolean contains(String itemId) {
    return index.containsKey(itemId);
  }

  /** The item as a summariser sees it, or empty when the catalogue does not know it. */
  public Optional<SummaryItem> item(String itemId) {
    Integer i = index.get(itemId);
    if (i == null) return Optional.empty();
    float[] row = new float[dim];
    System.arraycopy(embeddings, i * dim, row, 0, dim);
    return Optional.of(new SummaryItem(titles[i], attributes.get(i), row));
  }

  // --- writing ------------------------------------------------------------------------------

  /** The two files, by their names in the artifact, for {@code ArtifactWriter.extraFile}. */
  public static Map<String, byte[]> toFiles(List<Entry> entries, int dim, String embeddingName) {
    if (dim < 1) throw new IllegalArgumentException("embedding dimension must be at least 1");
    StringBuilder lines = new StringBuilder();
    ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("items", entries.size()).put("dim", dim).put("embedding", embeddingName);
    lines.append(header).append('\n');
    ByteBuffer rows = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(entries.size(), dim), Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Entry e : entries) {
      if (e.id() == null || e.id().isEmpty() || !seen.add(e.id())) throw new IllegalArgumentException("item id empty or repeated: '" + e.id() + "'");
      if (e.embedding().length != dim) throw new IllegalArgumentException("item " + e.id() + " has an embedding of " + e.embedding().length + " values, not " + dim);
      ObjectNode line = JSON.createObjectNode().put("id", e.id()).put("title", e.title() == null ? e.id() : e.title());
      ObjectNode attrs = line.putObject("attributes");
      new TreeMap<>(e.attributes()).forEach(attrs::put);
      lines.append(line).append('\n');
      for (float v : e.embedding()) rows.putFloat(v);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(ITEMS_FILE, lines.toString().getBytes(StandardCharsets.UTF_8));
    files.put(EMBEDDINGS_FILE, rows.array());
    return files;
  }

  // --- reading ------------------------------------------------------------------------------

  /** Whether the artifact's manifest lists a catalogue (reads only the manifest). */
  public static boolean listedIn(Manifest manifest) {
    return manifest.files().containsKey(ITEMS_FILE);
  }

  /**
   * The catalogue of the artifact in {@code artifactDir}, checked against its manifest and {@code limits}.
   *
   * @throws ArtifactException with the reason when it is absent, too large, altered or malformed
   */
  public static SummaryCatalogue read(Path artifactDir, Limits limits) {
    ModelArtifact artifact = ArtifactReader.readManifest(artifactDir);
    Manifest manifest = artifact.manifest();
    Path manifestFile = artifactDir.resolve("manifest.json");
    String itemsSha = manifest.files().get(ITEMS_FILE);
    String rowsSha = manifest.files().get(EMBEDDINGS_FILE);
    if (itemsSha == null || rowsSha == null) {
      throw new ArtifactException(manifestFile, "the artifact has no summary catalogue (" + ITEMS_FILE + " and " + EMBEDDINGS_FILE + " in files)");
    }
    Path itemsFile = artifactDir.resolve(ITEMS_FILE);
    Path rowsFile = artifactDir.resolve(EMBEDDINGS_FILE);
    long itemsBytes = size(itemsFile);
    long rowsBytes = size(rowsFile);
    if (itemsBytes + rowsBytes > limits.maxBytes()) {
      throw new ArtifactException(artifactDir, "summary catalogue of " + (itemsBytes + rowsBytes) + " bytes is larger than the cap of "
          + limits.maxBytes() + " bytes");
    }
    byte[] items = readBounded(itemsFile, itemsBytes);
    byte[] rows = readBounded(rowsFile, rowsBytes);
    // Hashed after reading, so the bytes checked are the bytes parsed (no swap between the two).
    checkSha(itemsFile, items, itemsSha);
    checkSha(rowsFile, rows, rowsSha);
    return parse(itemsFile, items, rowsFile, rows, limits);
  }

  static SummaryCatalogue parse(Path itemsFile, byte[] items, Path rowsFile, byte[] rows, Limits limits) {
    String text = new String(items, StandardCharsets.UTF_8);
    int lineNo = 0;
    int start = 0;
    JsonNode header = null;
    int n = 0;
    int dim = 0;
    Map<String, Integer> index = new HashMap<>();
    String[] titles = null;
    List<Map<String, String>> attrs = null;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) end = text.length();
      String line = text.substring(start, end);
      start = end + 1;
      lineNo++;
      if (line.length() > limits.maxLineChars()) refuse(itemsFile, lineNo, "longer than " + limits.maxLineChars() + " characters");
      JsonNode node = json(itemsFile, lineNo, line);
      if (header == null) {
        header = node;
        if (node.path("format").asInt(-1) != FORMAT) refuse(itemsFile, lineNo, "format " + node.path("format") + ", this reader reads " + FORMAT);
        n = wholeNumber(itemsFile, lineNo, node, "items", 0, limits.maxItems());
        dim = wholeNumber(itemsFile, lineNo, node, "dim", 1, limits.maxDim());
        if ((long) n * dim * Float.BYTES != rows.length) {
          throw new ArtifactException(rowsFile, "holds " + rows.length + " bytes, not " + n + " x " + dim + " float32 values");
        }
        titles = new String[n];
        attrs = new ArrayList<>(n);
        continue;
      }
      int item = lineNo - 2;
      if (item >= n) refuse(itemsFile, lineNo, "more item lines than the header's " + n);
      String id = text(itemsFile, lineNo, node, "id", limits.maxTitleChars());
      if (id.isEmpty()) refuse(itemsFile, lineNo, "empty id");
      if (index.putIfAbsent(id, item) != null) refuse(itemsFile, lineNo, "id '" + id + "' repeats line " + (index.get(id) + 2));
      titles[item] = text(itemsFile, lineNo, node, "title", limits.maxTitleChars());
      JsonNode a = node.path("attributes");
      if (!a.isObject()) refuse(itemsFile, lineNo, "attributes is not an object");
      if (a.size() > limits.maxAttributes()) refuse(itemsFile, lineNo, a.size() + " attributes, more than " + limits.maxAttributes());
      Map<String, String> values = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!f.getValue().isTextual()) refuse(itemsFile, lineNo, "attribute '" + cut(f.getKey()) + "' is not a string");
        if (f.getKey().length() > limits.maxValueChars() || f.getValue().asText().length() > limits.maxValueChars()) {
          refuse(itemsFile, lineNo, "attribute '" + cut(f.getKey()) + "' longer than " + limits.maxValueChars() + " characters");
        }
        values.put(f.getKey(), f.getValue().asText());
      }
      attrs.add(Map.copyOf(values));
    }
    if (header == null) throw new ArtifactException(itemsFile, "empty: no header line");
    if (index.size() != n) throw new ArtifactException(itemsFile, "has " + index.size() + " items, the header says " + n);
    float[] embeddings = new float[n * dim];
    ByteBuffer buffer = ByteBuffer.wrap(rows).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < embeddings.length; i++) {
      float v = buffer.getFloat();
      if (!Float.isFinite(v)) throw new ArtifactException(rowsFile, "value " + i + " (row " + (i / dim + 1) + ") is not finite");
      embeddings[i] = v;
    }
    return new SummaryCatalogue(index, titles, List.copyOf(attrs), embeddings, dim, header.path("embedding").asText(""));
  }

  private static long size(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new ArtifactException(file, "missing, or not a regular file");
      return Files.size(file);
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read: " + e, e);
    }
  }

  /** At most {@code expected} bytes: a file that grew since it was measured is refused, not read on. */
  private static byte[] readBounded(Path file, long expected) {
    if (expected > Integer.MAX_VALUE - 8) throw new ArtifactException(file, "larger than a Java array can hold");
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) expected);
      if (in.read() != -1) throw new ArtifactException(file, "grew while being read");
      return bytes;
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read: " + e, e);
    }
  }

  private static void checkSha(Path file, byte[] bytes, String expected) {
    String actual = Sha256.hex(bytes);
    if (!actual.equalsIgnoreCase(expected)) throw new ArtifactException(file, "SHA-256 mismatch: expected " + expected + ", actual " + actual);
  }

  private static JsonNode json(Path file, int lineNo, String line) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) refuse(file, lineNo, "not a JSON object");
      return node;
    } catch (JsonProcessingException e) {
      throw new ArtifactException(file, "line " + lineNo + ": not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static int wholeNumber(Path file, int lineNo, JsonNode node, String field, int min, int max) {
    JsonNode v = node.path(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      refuse(file, lineNo, field + " must be a whole number in [" + min + ", " + max + "], got " + cut(v.toString()));
    }
    return v.asInt();
  }

  private static String text(Path file, int lineNo, JsonNode node, String field, int maxChars) {
    JsonNode v = node.path(field);
    if (!v.isTextual()) refuse(file, lineNo, field + " is not a string");
    if (v.asText().length() > maxChars) refuse(file, lineNo, field + " longer than " + maxChars + " characters");
    return v.asText();
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static void refuse(Path file, int lineNo, String problem) {
    throw new ArtifactException(file, "line " + lineNo + ": " + problem);
  }

  /** For tests and tools: the bytes of both files parsed as {@link #read} would, without a manifest. */
  public static SummaryCatalogue fromFiles(Map<String, byte[]> files, Limits limits) {
    return parse(Path.of(ITEMS_FILE), files.get(ITEMS_FILE), Path.of(EMBEDDINGS_FILE), files.get(EMBEDDINGS_FILE), limits);
  }
}
