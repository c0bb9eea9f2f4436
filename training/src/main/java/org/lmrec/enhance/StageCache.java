package org.lmrec.enhance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.artifact.Sha256;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outputs of finished enhancer stages, so that an interrupted or repeated run resumes after the last
 * finished stage. A stage output is stored under a key that hashes everything it depends on (data,
 * settings, the upstream stage's key), as a safetensors file beside its SHA-256; a file whose
 * checksum does not match is ignored and the stage runs again. Writes are atomic (temp + rename).
 */
public final class StageCache {
  private static final Logger LOG = LoggerFactory.getLogger(StageCache.class);

  private final Path dir;

  public StageCache(Path dir) {
    this.dir = dir;
  }

  /** The cache's folder; null for {@link #none()}. */
  public java.nio.file.Path dir() {
    return dir;
  }

  /** A cache that never hits and stores nothing. */
  public static StageCache none() {
    return new StageCache(null);
  }

  public Optional<TensorMap> load(String stage, String key) {
    if (dir == null) return Optional.empty();
    Path file = file(stage, key);
    Path sum = checksumFile(file);
    if (!Files.isRegularFile(file) || !Files.isRegularFile(sum)) return Optional.empty();
    try {
      String expected = Files.readString(sum, StandardCharsets.US_ASCII).strip();
      if (!expected.equals(Sha256.ofFile(file))) {
        LOG.warn("stage '{}' output {} fails its checksum: running the stage again", stage, file);
        return Optional.empty();
      }
      LOG.info("stage '{}': reusing the finished output {}", stage, file);
      return Optional.of(SafeTensors.read(file));
    } catch (IOException | RuntimeException e) {
      LOG.warn("stage '{}' output {} is unreadable ({}): running the stage again", stage, file, e.toString());
      return Optional.empty();
    }
  }

  public void save(String stage, String key, TensorMap outputs) {
    if (dir == null) return;
    Path file = file(stage, key);
    try {
      Files.createDirectories(dir);
      byte[] bytes = SafeTensors.toBytes(outputs);
      Path tmp = Files.createTempFile(dir, ".tmp-" + stage, ".safetensors");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path sumTmp = Files.createTempFile(dir, ".tmp-" + stage, ".sha256");
      Files.writeString(sumTmp, Sha256.hex(bytes) + "\n", StandardCharsets.US_ASCII);
      Files.move(sumTmp, checksumFile(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot keep stage '{}' output in {} ({}); a rerun will repeat the stage", stage, dir, e.toString());
    }
  }

  /** A short hex key from the given parts (settings, upstream keys, data fingerprints). */
  public static String key(Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) sb.append(p).append('\u0001');
    return Sha256.hex(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  private Path file(String stage, String key) {
    return dir.resolve(stage + "-" + key + ".safetensors");
  }

  private static Path checksumFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".sha256");
  }
}
