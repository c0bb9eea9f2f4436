package org.lmrec.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.slf4j.LoggerFactory;

class ArtifactRoundTripTest {
  @TempDir Path root;

  @Test
  void roundTripIsBitExactAndKeepsEveryManifestField() throws Exception {
    ModelArtifact written = ArtifactFixtures.write(root, "sasrec-20261123T183000Z");
    LoadedArtifact loaded = ArtifactReader.load(written.dir());

    TensorMap expected = ArtifactFixtures.weights();
    assertThat(loaded.weights().names()).containsExactly("item_emb", "pos_emb", "block0.attn", "scale");
    for (String name : expected.names()) {
      Tensor e = expected.get(name);
      Tensor a = loaded.weights().get(name);
      assertThat(a.shape()).as(name).containsExactly(e.shape());
      for (int i = 0; i < e.size(); i++) {
        assertThat(Float.floatToRawIntBits(a.data()[i])).as(name + "[" + i + "]")
            .isEqualTo(Float.floatToRawIntBits(e.data()[i]));
      }
    }
    assertThat(loaded.itemIds()).containsExactly(null, "m-10", "m-20", "m-30");
    assertThat(loaded.numItems()).isEqualTo(3);

    Manifest m = loaded.manifest();
    assertThat(m.formatVersion()).isEqualTo(1);
    assertThat(m.modelKind()).isEqualTo("sasrec");
    assertThat(m.version()).isEqualTo("sasrec-20261123T183000Z");
    assertThat(m.createdAt()).isEqualTo("2026-11-23T18:30:00Z");
    assertThat(m.config()).containsEntry("d", 3).containsEntry("dropout", 0.2).containsEntry("loss", "bce")
        .containsEntry("numItems", 3);
    assertThat(m.tensors().get("block0.attn"))
        .isEqualTo(new TensorEntry("weights/block0.attn.f32", new int[] {2, 2, 2}, "float32",
            ArtifactFixtures.sha(written.dir().resolve("weights/block0.attn.f32"))));
    assertThat(m.tensors().get("scale").shape()).isEmpty();
    assertThat(m.files()).containsOnlyKeys("items.tsv", "lora/adapter.bin");
    assertThat(m.trainingData()).isEqualTo(ArtifactFixtures.trainingData());
    assertThat(m.metrics()).isEqualTo(Map.of("hr@10", 0.5, "ndcg@10", 0.3125));
    assertThat(m.parentVersion()).isNull();
    assertThat(m).isEqualTo(written.manifest());

    assertThat(loaded.manifestSha256())
        .isEqualTo(written.manifestSha256())
        .isEqualTo(ArtifactFixtures.sha(written.dir().resolve("manifest.json")));
    assertThat(Files.readString(loaded.extraFile("lora/adapter.bin"))).isEqualTo("adapter-bytes");
    assertThat(ArtifactReader.load(written.dir(), written.manifestSha256()).version()).isEqualTo(m.version());
  }

  @Test
  void filesOnDiskFollowTheDocumentedLayout() throws Exception {
    Path dir = ArtifactFixtures.write(root, "v1").dir();
    // Raw little-endian float32, row-major, no header: pos_emb = 1..6.
    ByteBuffer pos = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("weights/pos_emb.f32")))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(pos.capacity()).isEqualTo(24);
    for (int i = 0; i < 6; i++) assertThat(pos.getFloat()).isEqualTo(i + 1f);
    assertThat(Files.readString(dir.resolve("items.tsv"))).isEqualTo("1\tm-10\n2\tm-20\n3\tm-30\n");
    String json = Files.readString(dir.resolve("manifest.json"));
    assertThat(json).contains("\n  \"formatVersion\" : 1").contains("\"dtype\" : \"float32\"");
  }

  @Test
  void writeLeavesNoTempDirectoryAndRefusesAnExistingVersion() throws Exception {
    ModelArtifact first = ArtifactFixtures.write(root, "v1");
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("v1");
    }
    byte[] before = Files.readAllBytes(first.dir().resolve("manifest.json"));

    assertThatThrownBy(() -> ArtifactFixtures.write(root, "v1"))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("v1")
        .hasMessageContaining("already exists; refusing to overwrite");
    assertThat(Files.readAllBytes(first.dir().resolve("manifest.json"))).isEqualTo(before);
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("v1");
    }
  }

  @Test
  void failedWriteCleansUpItsTempDirectory() throws Exception {
    Path missing = root.resolve("no-such-adapter.bin");
    ArtifactWriter w = ArtifactWriter.builder(root.resolve("store"), "v1", "sasrec")
        .weights(ArtifactFixtures.weights()).itemIds(ArtifactFixtures.ITEM_IDS)
        .trainingData(ArtifactFixtures.trainingData()).extraFile("lora/a.bin", missing);
    assertThatThrownBy(w::write).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extra file 'lora/a.bin'").hasMessageContaining("no-such-adapter.bin");
    assertThat(root.resolve("store")).doesNotExist();
  }

  @Test
  void writerRefusesNonFiniteWeightsNamingTensorAndPosition() {
    TensorMap w = ArtifactFixtures.weights();
    float[] bad = {1, 2, 3, 4, Float.POSITIVE_INFINITY, 6};
    w.put("pos_emb", new Tensor(bad, 2, 3));
    assertThatThrownBy(() -> ArtifactWriter.builder(root, "v1", "sasrec").weights(w)
            .itemIds(ArtifactFixtures.ITEM_IDS).trainingData(ArtifactFixtures.trainingData()).write())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 'pos_emb'")
        .hasMessageContaining("Infinity at flat index 4 (position [1, 1])");
    assertThat(root.resolve("v1")).doesNotExist();
  }

  @Test
  void writerRefusesInconsistentInputs() {
    ArtifactWriter mismatched = ArtifactWriter.builder(root, "v1", "sasrec").config(Map.of("numItems", 7))
        .weights(ArtifactFixtures.weights()).itemIds(ArtifactFixtures.ITEM_IDS)
        .trainingData(ArtifactFixtures.trainingData());
    assertThatThrownBy(mismatched::write).hasMessageContaining("config numItems is 7 but itemIds hold 3 items");

    ArtifactWriter noPadding = ArtifactWriter.builder(root, "v1", "sasrec").weights(ArtifactFixtures.weights())
        .itemIds(List.of("a", "b")).trainingData(ArtifactFixtures.trainingData());
    assertThatThrownBy(noPadding::write).hasMessageContaining("null at index 0");

    ArtifactWriter duplicate = ArtifactWriter.builder(root, "v1", "sasrec").weights(ArtifactFixtures.weights())
        .itemIds(java.util.Arrays.asList(null, "a", "b", "a")).trainingData(ArtifactFixtures.trainingData());
    assertThatThrownBy(duplicate::write).hasMessageContaining("'a' is used by items 1 and 3");

    assertThatThrownBy(() -> ArtifactWriter.builder(root, "v1", "sasrec").extraFile("items.tsv", new byte[1]))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> ArtifactWriter.builder(root, "v1", "sasrec").extraFile("../evil", new byte[1]))
        .hasMessageContaining("'../evil'");
    assertThatThrownBy(() -> ArtifactWriter.builder(root, "../v1", "sasrec")).hasMessageContaining("version");
    assertThatThrownBy(() -> ArtifactWriter.builder(root, "v1", "sasrec").metrics(Map.of("hr", Double.NaN))
            .weights(ArtifactFixtures.weights()).itemIds(ArtifactFixtures.ITEM_IDS)
            .trainingData(ArtifactFixtures.trainingData()).write())
        .hasMessageContaining("metric 'hr' is NaN");
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void oneCallFormAcceptsPathAndBytesExtrasAndRecordsParent() throws Exception {
    Path adapter = root.resolve("adapter-src.bin");
    Files.write(adapter, new byte[] {1, 2, 3});
    Map<String, Object> extras = new HashMap<>();
    extras.put("lora/a.bin", adapter);
    extras.put("notes.txt", "hi".getBytes(StandardCharsets.UTF_8));
    Path store = root.resolve("store");
    ModelArtifact a = ArtifactWriter.write(store, "v2", "gru4rec", ArtifactFixtures.config(),
        ArtifactFixtures.weights(), ArtifactFixtures.ITEM_IDS, ArtifactFixtures.trainingData(), Map.of(), extras);
    LoadedArtifact loaded = ArtifactReader.load(a.dir());
    assertThat(Files.readAllBytes(loaded.extraFile("lora/a.bin"))).containsExactly(1, 2, 3);
    assertThat(loaded.extraFiles()).containsOnlyKeys("lora/a.bin", "notes.txt");
    assertThat(loaded.manifest().files().get("notes.txt")).isEqualTo(Sha256.hex("hi".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> loaded.extraFile("missing.bin")).hasMessageContaining("no attached file 'missing.bin'");

    ModelArtifact child = ArtifactWriter.builder(store, "v3", "gru4rec").weights(ArtifactFixtures.weights())
        .itemIds(ArtifactFixtures.ITEM_IDS).trainingData(ArtifactFixtures.trainingData()).parentVersion("v2")
        .write();
    assertThat(ArtifactReader.verify(child.dir()).manifest().parentVersion()).isEqualTo("v2");
  }

  @Test
  void trainingDataInfoSummarisesADataset() {
    Dataset data = new DatasetBuilder("tiny")
        .interaction("u1", "a", 300).interaction("u1", "b", 100)
        .interaction("u2", "a", 250).interaction("u2", "c", 900).interaction("u2", "b", 50)
        .build();
    TrainingDataInfo info = TrainingDataInfo.of(data, "desc");
    assertThat(info).isEqualTo(new TrainingDataInfo("tiny", 2, 3, 5L, 50L, 900L, "desc"));
  }

  @Test
  void loadsA100kBy64TableQuickly() {
    int rows = 100_000;
    int cols = 64;
    float[] values = new float[rows * cols];
    Random rnd = new Random(42);
    for (int i = 0; i < values.length; i++) values[i] = (float) rnd.nextGaussian();
    List<String> ids = new java.util.ArrayList<>(rows);
    ids.add(null);
    for (int i = 1; i < rows; i++) ids.add("item-" + i);
    TensorMap w = new TensorMap().put("item_emb", new Tensor(values, rows, cols));
    ModelArtifact a = ArtifactWriter.builder(root, "big", "sasrec").weights(w).itemIds(ids)
        .trainingData(ArtifactFixtures.trainingData()).write();

    ArtifactReader.load(a.dir()); // warm-up (class loading, JIT)
    // This thread's CPU time (the files are in the page cache just written): wall time on a busy machine counts descheduling.
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    LoadedArtifact loaded = ArtifactReader.load(a.dir(), a.manifestSha256());
    long millis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;

    float[] got = loaded.weights().get("item_emb").data();
    assertThat(got[0]).isEqualTo(values[0]);
    assertThat(got[values.length - 1]).isEqualTo(values[values.length - 1]);
    assertThat(got[123_457]).isEqualTo(values[123_457]);
    assertThat(loaded.itemIds().get(99_999)).isEqualTo("item-99999");
    LoggerFactory.getLogger(ArtifactRoundTripTest.class).info("loaded and checked 100k x 64 floats in {} ms of CPU", millis);
    // Brief target is well under a second; the bound is looser because the test machine is shared.
    assertThat(millis).as("load CPU time in ms").isLessThan(2_000);
  }
}
