package org.lmrec.enhance.llmemb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.enhance.TrainCommandRuns.concat;
import static org.lmrec.enhance.TrainCommandRuns.maxAbs;
import static org.lmrec.enhance.TrainCommandRuns.onlyVersion;
import static org.lmrec.enhance.TrainCommandRuns.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.lm.LoraConfig;
import org.lmrec.model.ItemAdapter;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * A small end-to-end LLMEmb run through the command line: ID-only pre-training, SCFT of the real
 * MiniLM with LoRA, export and PCA, RAT of a SASRec through the adapter with alignment, and an
 * artifact whose serving table is the fold of its own frozen table and adapter; then a warm start
 * from that artifact, and the two ablations (no SCFT, no alignment) as plain settings.
 */
class LlmEmbTrainCommandTest {
  private static final String[] SMALL = {
    "train", "--data", "synthetic", "--synthetic-users", "160", "--synthetic-items", "300", "--epochs", "2", "--eval-every", "1",
    "--dim", "32", "--max-len", "20", "--enhancer", "llmemb", "--item-tokens", "32", "--scft-batch", "16",
    "--validation-users", "100", "--threads", "2"
  };

  @Test
  void trainsWithLlmEmbFoldsTheAdapterAndWarmStarts(@TempDir Path dir) throws Exception {
    Path artifacts = dir.resolve("artifacts");
    Path work = dir.resolve("work");
    run(concat(SMALL, "--artifacts", artifacts.toString(), "--work-dir", work.toString(), "--adapter-activation", "gelu"));

    LoadedArtifact first = ArtifactReader.load(onlyVersion(artifacts));
    org.lmrec.cli.StoredTest.assertEvaluateRepeatsIt(first.dir(), java.util.Arrays.copyOfRange(SMALL, 1, 7));
    assertThat(first.manifest().config()).containsEntry("enhancer", "llmemb");
    assertThat(first.extraFiles()).containsKeys(
        LlmEmbArtifactFiles.CONFIG, LlmEmbArtifactFiles.LORA, LlmEmbArtifactFiles.SCFT_STATE, LlmEmbArtifactFiles.ITEM_TABLE, LlmEmbArtifactFiles.ADAPTER);
    Tensor table = SafeTensors.read(first.extraFile(LlmEmbArtifactFiles.ITEM_TABLE)).get("items");
    // PCA width 384 by default, capped by the 300 items of this catalogue
    assertThat(table.shape()).containsExactly(301, 300);
    // padding is row 0 and only row 0 (the reference's zero row sits before the last item instead)
    assertThat(java.util.Arrays.copyOfRange(table.data(), 0, 300)).containsOnly(0f);
    assertThat(largestMagnitude(java.util.Arrays.copyOfRange(table.data(), 300 * 300, 301 * 300))).as("last item's row").isGreaterThan(1e-4f);
    TensorMap adapter = SafeTensors.read(first.extraFile(LlmEmbArtifactFiles.ADAPTER));
    assertThat(adapter.get("item_adapter.0.weight").shape()).containsExactly(300, 150);
    assertThat(adapter.get("item_adapter.1.weight").shape()).containsExactly(150, 32);
    assertThat(maxAbs(SafeTensors.read(first.extraFile(LlmEmbArtifactFiles.LORA)), ".B")).as("LoRA B moved off zero").isGreaterThan(0f);

    Tensor serving = first.weights().get("item_embedding");
    Tensor refolded = LlmEmbArtifactFiles.refold(first, ItemAdapter.twoLayer(150, ItemAdapter.Activation.GELU));
    assertThat(serving.shape()).containsExactly(301, 32);
    for (int i = 0; i < serving.data().length; i++) {
      assertThat(serving.data()[i]).as("serving table value %d", i).isCloseTo(refolded.data()[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
    assertThat(first.manifest().metrics()).containsKeys(
        "seconds/pretrain", "seconds/scft", "seconds/export", "seconds/rat", "llmemb/scft/loss", "llmemb/scft/temperature");
    try (Stream<Path> cached = Files.list(work)) {
      assertThat(cached.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("scft-")).anyMatch(n -> n.equals("item-embeddings")).anyMatch(n -> n.startsWith("pretrain-"));
    }

    // A warm start continues from the first run's LoRA and learnt temperature.
    LlmEmbEnhancer.WarmStart warm = LlmEmbArtifactFiles.warmStart(first, LoraConfig.defaults());
    assertThat((double) warm.temperature()).isEqualTo(first.manifest().metrics().get("llmemb/scft/temperature"), org.assertj.core.data.Offset.offset(1e-6));
    Path second = dir.resolve("second");
    run(concat(SMALL, "--artifacts", second.toString(), "--work-dir", work.toString(), "--warm-start", first.dir().toString()));
    LoadedArtifact warmRun = ArtifactReader.load(onlyVersion(second));
    assertThat(SafeTensors.read(warmRun.extraFile(LlmEmbArtifactFiles.LORA)).get("lora.0.query.B").data())
        .as("the warm-started SCFT trained further")
        .isNotEqualTo(SafeTensors.read(first.extraFile(LlmEmbArtifactFiles.LORA)).get("lora.0.query.B").data());

    // Both ablations at once: no SCFT (base LM embeddings), no alignment (no ID pre-training needed).
    Path third = dir.resolve("third");
    run(concat(SMALL, "--artifacts", third.toString(), "--work-dir", "none", "--scft-epochs", "0", "--align-weight", "0"));
    LoadedArtifact ablated = ArtifactReader.load(onlyVersion(third));
    assertThat(ablated.extraFiles()).containsKeys(LlmEmbArtifactFiles.ITEM_TABLE, LlmEmbArtifactFiles.ADAPTER).doesNotContainKey(LlmEmbArtifactFiles.LORA);
    assertThat(ablated.manifest().metrics()).containsKey("seconds/rat").doesNotContainKeys("seconds/scft", "seconds/pretrain");
    assertThatThrownBy(() -> LlmEmbArtifactFiles.warmStart(ablated, LoraConfig.defaults())).hasMessageContaining("SCFT was skipped");
  }

  private static float largestMagnitude(float[] v) {
    float max = 0;
    for (float x : v) max = Math.max(max, Math.abs(x));
    return max;
  }
}
