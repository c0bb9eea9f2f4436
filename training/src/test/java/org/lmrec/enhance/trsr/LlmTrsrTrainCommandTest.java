package org.lmrec.enhance.trsr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.enhance.TrainCommandRuns.concat;
import static org.lmrec.enhance.TrainCommandRuns.maxAbs;
import static org.lmrec.enhance.TrainCommandRuns.onlyVersion;
import static org.lmrec.enhance.TrainCommandRuns.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.OnnxYesNoRanker;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.SummaryMode;

/**
 * {@code lmrec train --enhancer llm-trsr} end to end at tiny sizes on the synthetic generator: the
 * SASRec, the ranker's SFT with model selection over two epochs, both test protocols in the
 * manifest, a ranker that loads from the artifact and scores through ONNX Runtime, then a warm start.
 */
class LlmTrsrTrainCommandTest {
  private static final String[] SMALL = {
    "train", "--data", "synthetic", "--synthetic-users", "120", "--synthetic-items", "300", "--epochs", "1", "--eval-every", "1",
    "--dim", "16", "--max-len", "20", "--validation-users", "50", "--threads", "2", "--enhancer", "llm-trsr", "--item-tokens", "16",
    "--prompt-tokens", "40", "--ranker-users", "8", "--ranker-batch", "8", "--ranker-validation-users", "3", "--eval-users", "4",
    "--rerank-top", "12"
  };

  @Test
  void trainsTheRankerEvaluatesBothProtocolsAndWarmStarts(@TempDir Path dir) throws Exception {
    Path artifacts = dir.resolve("artifacts");
    Path work = dir.resolve("work");
    run(concat(SMALL, "--artifacts", artifacts.toString(), "--work-dir", work.toString(), "--ranker-epochs", "2", "--summary-strategy", "hierarchical"));

    LoadedArtifact first = ArtifactReader.load(onlyVersion(artifacts));
    org.lmrec.cli.StoredTest.assertEvaluateRepeatsIt(first.dir(), java.util.Arrays.copyOfRange(SMALL, 1, 7));
    assertThat(first.manifest().config()).containsEntry("enhancer", "llm-trsr");
    Map<String, Double> m = first.manifest().metrics();
    assertThat(m).containsKeys(
        "test/full/NDCG@10", "seconds/trsr-sft", "seconds/trsr-test",
        "trsr/test/sampled20/ranker/Recall@3", "trsr/test/sampled20/ranker/Recall@10", "trsr/test/sampled20/ranker/MRR@10",
        "trsr/test/sampled20/sasrec/Recall@10", "trsr/test/sampled20/sasrec/MRR@5",
        "trsr/test/rerank12/ranker/HR@10", "trsr/test/rerank12/ranker/NDCG@10", "trsr/test/rerank12/sasrec/HR@10",
        "trsr/validation/MRR@10", "trsr/timing/sft-seconds-per-epoch", "trsr/timing/rank-ms-per-candidate", "trsr/timing/summary-ms-per-user");
    assertThat(m.get("trsr/test/users")).isEqualTo(4.0);
    assertThat(m.get("trsr/sft/users")).isEqualTo(8.0);
    for (String k : m.keySet()) if (k.startsWith("trsr/test/")) assertThat(m.get(k)).as(k).isBetween(0.0, 8.0);
    RankerFiles.Stored stored = RankerFiles.read(first);
    assertThat(stored.spec().summary()).isEqualTo(SummaryMode.HIERARCHICAL);
    assertThat(stored.spec().summariserVersion()).startsWith("extractive-v1");
    assertThat(stored.spec().maxTokens()).isEqualTo(40);
    assertThat(maxAbs(stored.lora(), ".B")).as("LoRA B moved off zero").isGreaterThan(0f);
    try (OnnxYesNoRanker ranker = new OnnxYesNoRanker(LmCheckpoint.defaultMiniLm(), 1, stored)) {
      double[] s = ranker.scores(List.of("Will the shopper buy it?\n"), List.of("Recent items:\n- title is pen\nCandidate: title is ink"), 1);
      assertThat(s[0]).isBetween(0.0, 1.0);
    }

    Path second = dir.resolve("second");
    run(concat(SMALL, "--artifacts", second.toString(), "--work-dir", work.toString(), "--summary-strategy", "none",
        "--warm-start", first.dir().toString()));
    RankerFiles.Stored warm = RankerFiles.read(ArtifactReader.load(onlyVersion(second)));
    assertThat(warm.spec().summary()).isEqualTo(SummaryMode.NONE);
    assertThat(warm.lora().get("lora.0.query.B").data()).as("the warm-started SFT trained further")
        .isNotEqualTo(stored.lora().get("lora.0.query.B").data());
  }
}
