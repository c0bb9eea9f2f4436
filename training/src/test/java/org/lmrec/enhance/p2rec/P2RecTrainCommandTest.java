package org.lmrec.enhance.p2rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.enhance.TrainCommandRuns.concat;
import static org.lmrec.enhance.TrainCommandRuns.maxAbs;
import static org.lmrec.enhance.TrainCommandRuns.onlyVersion;
import static org.lmrec.enhance.TrainCommandRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.tensor.Tensor;

/**
 * A tiny end-to-end P2Rec run through the command line: ID-only pre-training, k-means, user-level
 * fine-tuning of the real MiniLM with LoRA, augmentation on ONNX Runtime, the enhanced SASRec,
 * and an artifact holding every stage output; then a second run that reuses the finished stages
 * and warm-starts the fine-tuning from the first artifact.
 */
class P2RecTrainCommandTest {
  private static final String[] SMALL = {
    "train", "--data", "synthetic", "--synthetic-users", "160", "--synthetic-items", "300", "--epochs", "2", "--eval-every", "1",
    "--dim", "32", "--max-len", "20", "--enhancer", "p2rec", "--categories", "6", "--sft-users", "32", "--sft-batch", "8",
    "--user-tokens", "48", "--item-tokens", "32", "--validation-users", "100", "--threads", "2"
  };

  @Test
  void trainsWithP2RecAndWarmStartsFromTheArtifact(@TempDir Path dir) throws Exception {
    Path artifacts = dir.resolve("artifacts");
    Path work = dir.resolve("work");
    run(concat(SMALL, "--artifacts", artifacts.toString(), "--work-dir", work.toString()));

    LoadedArtifact first = ArtifactReader.load(onlyVersion(artifacts));
    org.lmrec.cli.StoredTest.assertEvaluateRepeatsIt(first.dir(), java.util.Arrays.copyOfRange(SMALL, 1, 7));
    assertThat(first.manifest().config()).containsEntry("enhancer", "p2rec");
    assertThat(first.extraFiles()).containsKeys(
        P2RecArtifactFiles.CONFIG, P2RecArtifactFiles.CATEGORIES, P2RecArtifactFiles.CENTROIDS, P2RecArtifactFiles.PREFERENCES,
        P2RecArtifactFiles.LORA, P2RecArtifactFiles.HEAD, P2RecArtifactFiles.ITEM_EMBEDDINGS);
    Tensor g = SafeTensors.read(first.extraFile(P2RecArtifactFiles.PREFERENCES)).get("g_u");
    assertThat(g.dim(1)).isEqualTo(6);
    Tensor items = SafeTensors.read(first.extraFile(P2RecArtifactFiles.ITEM_EMBEDDINGS)).get("items");
    assertThat(items.shape()).containsExactly(301, 384);
    assertThat(first.weights().get("item_embedding").shape()).containsExactly(301, 32);
    assertThat(maxAbs(SafeTensors.read(first.extraFile(P2RecArtifactFiles.LORA)), ".B")).as("LoRA B moved off zero").isGreaterThan(0f);
    assertThat(first.manifest().metrics()).containsKeys("seconds/pretrain", "seconds/sft", "seconds/augment", "seconds/srs", "p2rec/sft/heldOut/loss");
    try (Stream<Path> cached = Files.list(work)) {
      assertThat(cached.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("sft-")).anyMatch(n -> n.startsWith("pretrain-"));
    }

    Path second = dir.resolve("second");
    // Same work dir: pre-training and categories are reused; the warm start changes the SFT key.
    run(concat(SMALL, "--artifacts", second.toString(), "--work-dir", work.toString(), "--warm-start", first.dir().toString()));
    LoadedArtifact warm = ArtifactReader.load(onlyVersion(second));
    assertThat(warm.extraFiles()).containsKey(P2RecArtifactFiles.LORA);
    assertThat(warm.manifest().metrics().get("p2rec/sft/epoch1/loss"))
        .as("a warm start begins where the first run ended")
        .isLessThanOrEqualTo(first.manifest().metrics().get("p2rec/sft/epoch1/loss") * 1.5);
  }

  @Test
  void aSecondBackboneInTheSameWorkDirReusesEveryStageBeforeTheSrs(@TempDir Path dir) throws Exception {
    Path work = dir.resolve("work");
    run(concat(SMALL, "--artifacts", dir.resolve("sasrec").toString(), "--work-dir", work.toString(), "--model", "sasrec"));
    // Another backbone, and another way of starting the SRS from the tuned table: neither changes the fine-tuning.
    run(concat(SMALL, "--artifacts", dir.resolve("gru4rec").toString(), "--work-dir", work.toString(), "--model", "gru4rec",
        "--init", "frozen", "--init-std", "0.05"));

    // One file per stage: the GRU4Rec run found the pre-training, the categories and the SFT of the SASRec run.
    try (Stream<Path> cached = Files.list(work)) {
      java.util.Map<String, Long> perStage = cached.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".safetensors"))
          .collect(java.util.stream.Collectors.groupingBy(n -> n.substring(0, n.indexOf('-')), java.util.stream.Collectors.counting()));
      assertThat(perStage).containsEntry("pretrain", 1L).containsEntry("categories", 1L).containsEntry("sft", 1L);
    }
    LoadedArtifact gru = ArtifactReader.load(onlyVersion(dir.resolve("gru4rec")));
    assertThat(gru.manifest().modelKind()).isEqualTo("gru4rec");
  }
}
