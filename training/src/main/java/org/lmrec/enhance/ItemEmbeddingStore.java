package org.lmrec.enhance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.artifact.Sha256;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraWeights;
import org.lmrec.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LM's embedding of every item text, kept across runs so that a run embeds only the items that
 * are new or whose text changed (the incremental catalogue of the retraining job). Rows are stored
 * per LM (checkpoint, LoRA weights, token budget) and looked up by the SHA-256 of the item's text,
 * so a renamed or re-described item is embedded again and an unchanged one never is.
 *
 * <p>One file per LM, {@code item-embeddings-<key>.bin}: a count, the width, then per row the
 * text hash and the floats, ending with the SHA-256 of everything before it; written atomically.
 * A file that fails its checksum is ignored (everything is embedded again), never half-used.
 */
public final class ItemEmbeddingStore {
  private static final Logger LOG = LoggerFactory.getLogger(ItemEmbeddingStore.class);
  private static final int MAGIC = 0x4c4d4945; // "LMIE"

  /** @param embedded items the LM ran on in this call; {@code reused} came from the store */
  public record Result(Tensor table, int embedded, int reused) {}

  /** Embeds texts (entry 0 = padding) with one LM; returns {@code [texts.size() + 1, hidden]} rows. */
  @FunctionalInterface
  public interface Embedder {
    Tensor embed(List<String> itemTexts);
  }

  private final Path dir;

  /** @param dir where the files live; null keeps nothing (every call embeds every item) */
  public ItemEmbeddingStore(Path dir) {
    this.dir = dir;
  }

  /** The store inside a stage cache's folder (none for a cache that keeps nothing). */
  public static ItemEmbeddingStore in(StageCache cache) {
    return new ItemEmbeddingStore(cache.dir() == null ? null : cache.dir().resolve("item-embeddings"));
  }

  /** Every item through {@code checkpoint} (+ {@code lora} folded in, if any), reusing stored rows. */
  public Result embed(LmCheckpoint checkpoint, LoraWeights lora, List<String> itemTexts, int maxTokens, int threads) {
    String lmKey = StageCache.key("item-embeddings", checkpoint.embeddingKey(),
        lora == null ? "base" : Sha256.hex(SafeTensors.toBytes(lora.toTensorMap())), maxTokens);
    return embed(lmKey, itemTexts, texts -> ItemEmbedder.embed(checkpoint, lora, texts, maxTokens, threads));
  }

  /** Like {@link #embed(LmCheckpoint, LoraWeights, List, int, int)} for any embedder identified by {@code lmKey}. */
  public Result embed(String lmKey, List<String> itemTexts, Embedder embedder) {
    Map<String, float[]> stored = dir == null ? Map.of() : read(file(lmKey));
    int n = itemTexts.size() - 1;
    if (n < 1) throw new IllegalArgumentException("no items to embed");
    String[] hashes = new String[n + 1];
    List<Integer> missing = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      hashes[i] = textHash(itemTexts.get(i));
      if (!stored.containsKey(hashes[i])) missing.add(i);
    }
    Map<String, float[]> rows = new LinkedHashMap<>(stored);
    if (!missing.isEmpty()) {
      List<String> texts = new ArrayList<>(missing.size() + 1);
      texts.add("");
      for (int i : missing) texts.add(itemTexts.get(i));
      Tensor fresh = embedder.embed(texts);
      int h = fresh.dim(1);
      for (int j = 0; j < missing.size(); j++) {
        rows.put(hashes[missing.get(j)], Arrays.copyOfRange(fresh.data(), (j + 1) * h, (j + 2) * h));
      }
    }
    int h = rows.get(hashes[1]).length;
    float[] out = new float[(n + 1) * h];
    for (int i = 1; i <= n; i++) {
      float[] row = rows.get(hashes[i]);
      if (row.length != h) throw new IllegalStateException("stored rows of " + lmKey + " have mixed widths");
      System.arraycopy(row, 0, out, i * h, h);
    }
    if (dir != null && !missing.isEmpty()) write(file(lmKey), rows, h);
    LOG.info(String.format("item embeddings: %,d new or changed items embedded, %,d reused", missing.size(), n - missing.size()));
    return new Result(new Tensor(out, n + 1, h), missing.size(), n - missing.size());
  }

  private Path file(String lmKey) {
    return dir.resolve("item-embeddings-" + lmKey + ".bin");
  }

  private static String textHash(String text) {
    return Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, float[]> read(Path file) {
    if (!Files.isRegularFile(file)) return Map.of();
    try {
      byte[] all = Files.readAllBytes(file);
      if (all.length < 32) throw new IOException("truncated");
      MessageDigest d = Sha256.newDigest();
      d.update(all, 0, all.length - 32);
      if (!Arrays.equals(d.digest(), Arrays.copyOfRange(all, all.length - 32, all.length))) throw new IOException("checksum mismatch");
      try (InputStream in = new java.io.ByteArrayInputStream(all, 0, all.length - 32); DataInputStream data = new DataInputStream(in)) {
        if (data.readInt() != MAGIC) throw new IOException("not an item-embedding file");
        int count = data.readInt();
        int h = data.readInt();
        Map<String, float[]> rows = new HashMap<>(count * 2);
        byte[] hash = new byte[32];
        for (int r = 0; r < count; r++) {
          data.readFully(hash);
          float[] row = new float[h];
          for (int k = 0; k < h; k++) row[k] = data.readFloat();
          rows.put(java.util.HexFormat.of().formatHex(hash), row);
        }
        return rows;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring the item-embedding file {} ({}): its items are embedded again", file, e.toString());
      return Map.of();
    }
  }

  private static void write(Path file, Map<String, float[]> rows, int h) {
    try {
      Files.createDirectories(file.getParent());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * (32 + 4 * h) + 64);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(MAGIC);
        out.writeInt(rows.size());
        out.writeInt(h);
        for (Map.Entry<String, float[]> e : rows.entrySet()) {
          out.write(java.util.HexFormat.of().parseHex(e.getKey()));
          for (float v : e.getValue()) out.writeFloat(v);
        }
        out.flush();
        MessageDigest d = Sha256.newDigest();
        d.update(bytes.toByteArray());
        out.write(d.digest());
      }
      Path tmp = Files.createTempFile(file.getParent(), ".tmp-item-embeddings", ".bin");
      Files.write(tmp, bytes.toByteArray());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot keep item embeddings in {} ({}); the next run embeds these items again", file, e.toString());
    }
  }
}
