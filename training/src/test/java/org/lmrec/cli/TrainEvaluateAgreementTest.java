package org.lmrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.enhance.TrainCommandRuns.concat;
import static org.lmrec.enhance.TrainCommandRuns.onlyVersion;
import static org.lmrec.enhance.TrainCommandRuns.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.enhance.EnhancedArtifacts;

/**
 * The numbers {@code lmrec train} reports and stores are those of the model it saves: {@code lmrec
 * evaluate} on the artifact repeats them exactly, with its defaults (the P2Rec, LLMEmb and LLM-TRSR
 * command tests make the same check for their enhancers).
 */
class TrainEvaluateAgreementTest {
  private static final String[] DATA = {"--data", "synthetic", "--synthetic-users", "80", "--synthetic-items", "900"};
  private static final String[] TINY = concat(concat(new String[] {"train"}, DATA),
      "--epochs", "2", "--eval-every", "1", "--dim", "16", "--max-len", "15", "--validation-users", "40", "--threads", "1",
      "--no-summary-catalogue");

  @Test
  void idOnlyWithItsOwnSeedAndTailThreshold(@TempDir Path dir) throws Exception {
    run(concat(TINY, "--artifacts", dir.toString(), "--seed", "7", "--tail-threshold", "3"));
    Path artifact = onlyVersion(dir);
    java.util.Map<String, Object> config = ArtifactReader.load(artifact).manifest().config();
    assertThat(((Number) config.get(EnhancedArtifacts.EVALUATION_SEED)).longValue()).isEqualTo(7);
    assertThat(((Number) config.get(EnhancedArtifacts.TAIL_THRESHOLD)).intValue()).isEqualTo(3);
    StoredTest.assertEvaluateRepeatsIt(artifact, DATA);
  }

  @Test
  void frozenLmWithColdItemRowsFilledAfterTraining(@TempDir Path dir) throws Exception {
    // 900 items and 80 users: most items have no training interaction, so their rows are filled from
    // their text after training; the stored numbers must be those of the filled table.
    run(concat(TINY, "--artifacts", dir.toString(), "--enhancer", "frozen-lm", "--item-tokens", "16", "--work-dir", "none"));
    StoredTest.assertEvaluateRepeatsIt(onlyVersion(dir), DATA);
    assertThat(ArtifactReader.load(onlyVersion(dir)).manifest().metrics())
        .as("the LM table's default scale is that of an ID-only SASRec trained first")
        .containsKey("seconds/pretrain");
  }
}
