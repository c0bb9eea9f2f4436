package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

class StageCacheTest {
  @Test
  void reusesAFinishedStageAndIgnoresACorruptedOne(@TempDir Path dir) throws Exception {
    StageCache cache = new StageCache(dir);
    String key = StageCache.key("sft", 32, "cfg");
    assertThat(cache.load("sft", key)).isEmpty();
    cache.save("sft", key, new TensorMap().put("w", new Tensor(new float[] {1, 2}, 2)));
    assertThat(cache.load("sft", key)).get().extracting(m -> m.get("w").data()).isEqualTo(new float[] {1, 2});
    assertThat(cache.load("sft", StageCache.key("sft", 16, "cfg"))).as("other settings, other key").isEmpty();

    Path file = dir.resolve("sft-" + key + ".safetensors");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertThat(cache.load("sft", key)).as("checksum mismatch").isEmpty();
  }

  @Test
  void noneNeverStores() {
    StageCache none = StageCache.none();
    none.save("x", "k", new TensorMap().put("w", new Tensor(new float[] {1}, 1)));
    assertThat(none.load("x", "k")).isEmpty();
  }
}
