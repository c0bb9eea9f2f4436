package org.lmrec.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/** A small hand-made artifact and helpers to damage it on disk. */
final class ArtifactFixtures {
  static final Instant CREATED = Instant.parse("2026-11-23T18:30:00Z");
  static final List<String> ITEM_IDS = Arrays.asList(null, "m-10", "m-20", "m-30");

  private ArtifactFixtures() {}

  /** item_emb [4,3] (row 0 = padding) with awkward floats, pos_emb [2,3], a 3-d block and a scalar. */
  static TensorMap weights() {
    float[] items = {
      0f, -0f, 1f,
      0.1f, -2.5f, Float.MIN_VALUE,
      Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f,
      3.14159f, -1e-7f, 123456.78f
    };
    TensorMap m = new TensorMap();
    m.put("item_emb", new Tensor(items, 4, 3));
    m.put("pos_emb", new Tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    m.put("block0.attn", new Tensor(new float[] {0.5f, -0.5f, 0.25f, -0.25f, 8, 9, 10, 11}, 2, 2, 2));
    m.put("scale", new Tensor(new float[] {0.75f}));
    return m;
  }

  static Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("d", 3);
    c.put("blocks", 1);
    c.put("heads", 1);
    c.put("maxLen", 2);
    c.put("dropout", 0.2);
    c.put("loss", "bce");
    return c;
  }

  static TrainingDataInfo trainingData() {
    return new TrainingDataInfo("tiny", 5, 3, 11L, 1_700_000_000L, 1_700_086_400L, "hand-written fixture");
  }

  static ModelArtifact write(Path root, String version) {
    return write(root, version, "sasrec", CREATED);
  }

  static ModelArtifact write(Path root, String version, String kind, Instant created) {
    return ArtifactWriter.builder(root, version, kind)
        .config(config())
        .weights(weights())
        .itemIds(ITEM_IDS)
        .trainingData(trainingData())
        .metrics(Map.of("hr@10", 0.5, "ndcg@10", 0.3125))
        .extraFile("lora/adapter.bin", "adapter-bytes".getBytes(StandardCharsets.UTF_8))
        .createdAt(created)
        .write();
  }

  static String sha(Path file) throws IOException {
    return Sha256.hex(Files.readAllBytes(file));
  }

  /** Edits manifest.json as a JSON tree (bypassing the records, as a hand edit or another writer would). */
  static void editManifest(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Path file = dir.resolve("manifest.json");
    ObjectNode root = (ObjectNode) mapper.readTree(file.toFile());
    edit.accept(root);
    mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }

  /** Makes the manifest agree with the current bytes of a tensor file, so only the content problem remains. */
  static void resealTensor(Path dir, String tensor) throws IOException {
    String sha = sha(dir.resolve("weights/" + tensor + ".f32"));
    editManifest(dir, m -> ((ObjectNode) m.get("tensors").get(tensor)).put("sha256", sha));
  }

  static void resealFile(Path dir, String rel) throws IOException {
    String sha = sha(dir.resolve(rel));
    editManifest(dir, m -> ((ObjectNode) m.get("files")).put(rel, sha));
  }

  static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }
}
