package org.lmrec.artifact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * Writes one artifact version. Everything goes into a hidden temporary sibling directory first, manifest last, and
 * the directory is then renamed into place atomically: a reader sees either no version or a complete one.
 */
public final class ArtifactWriter {
  private final Path root;
  private final String version;
  private final String modelKind;
  private Map<String, Object> config = Map.of();
  private TensorMap weights;
  private List<String> itemIds;
  private TrainingDataInfo trainingData;
  private Map<String, Double> metrics = Map.of();
  private final Map<String, Object> extraFiles = new LinkedHashMap<>();
  private String parentVersion;
  private Instant createdAt;

  private ArtifactWriter(Path root, String version, String modelKind) {
    this.root = Objects.requireNonNull(root, "root");
    ArtifactLayout.requireName("version", version);
    ArtifactLayout.requireName("model kind", modelKind);
    this.version = version;
    this.modelKind = modelKind;
  }

  /** Starts an artifact {@code <root>/<version>}; set weights, itemIds and trainingData, then {@link #write()}. */
  public static ArtifactWriter builder(Path root, String version, String modelKind) {
    return new ArtifactWriter(root, version, modelKind);
  }

  /**
   * One-call form.
   *
   * @param itemIds external ids by index, index 0 null
   * @param extraFiles relative path to either a {@link Path} (copied) or a {@code byte[]} (written)
   */
  public static ModelArtifact write(
      Path root,
      String version,
      String modelKind,
      Map<String, Object> config,
      TensorMap weights,
      List<String> itemIds,
      TrainingDataInfo trainingData,
      Map<String, Double> metrics,
      Map<String, ?> extraFiles) {
    ArtifactWriter w = builder(root, version, modelKind)
        .config(config).weights(weights).itemIds(itemIds).trainingData(trainingData).metrics(metrics);
    extraFiles.forEach((name, content) -> {
      if (content instanceof Path p) w.extraFile(name, p);
      else if (content instanceof byte[] b) w.extraFile(name, b);
      else throw new IllegalArgumentException("extra file '" + name + "' must be a Path or byte[], got "
          + (content == null ? "null" : content.getClass().getName()));
    });
    return w.write();
  }

  /** Model hyper-parameters; numItems is added from the item ids when absent, and must agree when present. */
  public ArtifactWriter config(Map<String, Object> config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  public ArtifactWriter weights(TensorMap weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
    return this;
  }

  /** External item ids by model index; index 0 must be null (padding), as in {@code Dataset.itemIds()}. */
  public ArtifactWriter itemIds(List<String> itemIds) {
    this.itemIds = Objects.requireNonNull(itemIds, "itemIds");
    return this;
  }

  public ArtifactWriter trainingData(TrainingDataInfo trainingData) {
    this.trainingData = Objects.requireNonNull(trainingData, "trainingData");
    return this;
  }

  public ArtifactWriter metrics(Map<String, Double> metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /** The version this model was warm-started from (null for a cold start). */
  public ArtifactWriter parentVersion(String parentVersion) {
    if (parentVersion != null) ArtifactLayout.requireName("parent version", parentVersion);
    this.parentVersion = parentVersion;
    return this;
  }

  /** Defaults to the moment {@link #write()} runs. */
  public ArtifactWriter createdAt(Instant createdAt) {
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    return this;
  }

  /** Attaches a copy of {@code source} at {@code relativePath} (e.g. {@code lora/adapter.f32}). */
  public ArtifactWriter extraFile(String relativePath, Path source) {
    addExtra(relativePath, Objects.requireNonNull(source, "source"));
    return this;
  }

  /** Attaches {@code content} at {@code relativePath}. */
  public ArtifactWriter extraFile(String relativePath, byte[] content) {
    addExtra(relativePath, content.clone());
    return this;
  }

  private void addExtra(String relativePath, Object content) {
    ArtifactLayout.requireRelativePath("extra file", relativePath);
    if (relativePath.equals(ArtifactLayout.MANIFEST) || relativePath.equals(ArtifactLayout.ITEMS)
        || relativePath.equals(ArtifactLayout.WEIGHTS_DIR)
        || relativePath.startsWith(ArtifactLayout.WEIGHTS_DIR + "/")) {
      throw new IllegalArgumentException("extra file path '" + relativePath + "' is reserved by the artifact layout");
    }
    if (extraFiles.putIfAbsent(relativePath, content) != null) {
      throw new IllegalArgumentException("extra file '" + relativePath + "' attached twice");
    }
  }

  /** Validates everything, writes the artifact and returns its handle. */
  public ModelArtifact write() {
    Objects.requireNonNull(weights, "weights not set");
    Objects.requireNonNull(itemIds, "itemIds not set");
    Objects.requireNonNull(trainingData, "trainingData not set");
    Map<String, Object> fullConfig = configWithNumItems();
    checkFinite();
    byte[] itemsBytes = ItemIdsFile.toBytes(itemIds);
    for (Map.Entry<String, Object> e : extraFiles.entrySet()) {
      if (e.getValue() instanceof Path p && !Files.isRegularFile(p)) {
        throw new IllegalArgumentException("extra file '" + e.getKey() + "': source " + p + " is not a readable file");
      }
    }

    Path target = root.resolve(version);
    if (Files.exists(target)) {
      throw new ArtifactException(target, "version '" + version + "' already exists; refusing to overwrite it");
    }
    Path tmp = null;
    try {
      Files.createDirectories(root);
      tmp = Files.createTempDirectory(root, ".tmp-" + version + "-");
      byte[] manifestBytes = writeContents(tmp, fullConfig, itemsBytes);
      moveIntoPlace(tmp, target);
      tmp = null;
      Path manifestFile = target.resolve(ArtifactLayout.MANIFEST);
      return new ModelArtifact(target, ManifestJson.parse(manifestBytes, manifestFile), Sha256.hex(manifestBytes));
    } catch (IOException e) {
      throw new ArtifactException(target, "cannot write artifact: " + e, e);
    } finally {
      if (tmp != null) deleteQuietly(tmp);
    }
  }

  private Map<String, Object> configWithNumItems() {
    int numItems = itemIds.size() - 1;
    Map<String, Object> full = new LinkedHashMap<>(config);
    Object declared = full.putIfAbsent("numItems", numItems);
    if (declared != null && !(declared instanceof Number n && n.doubleValue() == numItems)) {
      throw new IllegalArgumentException("config numItems is " + declared + " but itemIds hold " + numItems + " items");
    }
    full.put("numItems", numItems);
    return full;
  }

  private void checkFinite() {
    for (Map.Entry<String, Tensor> e : weights.asMap().entrySet()) {
      int bad = e.getValue().firstNonFinite();
      if (bad >= 0) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' has non-finite value "
            + e.getValue().data()[bad] + " at flat index " + bad + " (position "
            + Arrays.toString(Float32Files.position(bad, e.getValue().shape())) + "); refusing to write it");
      }
    }
    metrics.forEach((name, value) -> {
      if (value == null || !Double.isFinite(value)) {
        throw new IllegalArgumentException("metric '" + name + "' is " + value + "; metrics must be finite numbers");
      }
    });
  }

  private byte[] writeContents(Path dir, Map<String, Object> fullConfig, byte[] itemsBytes) throws IOException {
    Files.createDirectory(dir.resolve(ArtifactLayout.WEIGHTS_DIR));
    Map<String, TensorEntry> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : weights.asMap().entrySet()) {
      String rel = ArtifactLayout.weightFile(e.getKey());
      String sha = Float32Files.write(dir.resolve(rel), e.getValue().data());
      tensors.put(e.getKey(), new TensorEntry(rel, e.getValue().shape(), ArtifactLayout.DTYPE_FLOAT32, sha));
    }
    Map<String, String> files = new LinkedHashMap<>();
    writeDurably(dir.resolve(ArtifactLayout.ITEMS), itemsBytes);
    files.put(ArtifactLayout.ITEMS, Sha256.hex(itemsBytes));
    for (Map.Entry<String, Object> e : extraFiles.entrySet()) {
      Path dest = dir.resolve(e.getKey());
      Files.createDirectories(dest.getParent());
      if (e.getValue() instanceof byte[] bytes) {
        writeDurably(dest, bytes);
      } else {
        Files.copy((Path) e.getValue(), dest);
        force(dest);
      }
      // Hash what landed in the artifact, not the source, so the checksum describes the artifact's own bytes.
      files.put(e.getKey(), Sha256.ofFile(dest));
    }
    Instant created = createdAt == null ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : createdAt;
    Manifest manifest = new Manifest(ArtifactLayout.FORMAT_VERSION, modelKind, version, created.toString(),
        fullConfig, tensors, files, trainingData, metrics, parentVersion);
    byte[] manifestBytes = ManifestJson.toBytes(manifest);
    writeDurably(dir.resolve(ArtifactLayout.MANIFEST), manifestBytes);
    return manifestBytes;
  }

  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    force(file);
  }

  private static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw new ArtifactException(target, "version appeared while writing; refusing to overwrite it", e);
    } catch (AtomicMoveNotSupportedException e) {
      throw new ArtifactException(target, "file system cannot rename atomically; artifacts need a POSIX-like store", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path p : paths) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: a leftover hidden .tmp-* directory is never mistaken for an artifact.
    }
  }
}
