package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lmrec.enhance.TrainCommandRuns.concat;
import static org.lmrec.enhance.TrainCommandRuns.onlyVersion;
import static org.lmrec.enhance.TrainCommandRuns.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;

/** {@code lmrec train} on synthetic data (which has titles and attributes) attaches the summary catalogue; the flag turns it off. */
class SummaryCatalogueTrainCommandTest {
  private static final String[] TINY = {
    "train", "--data", "synthetic", "--synthetic-users", "60", "--synthetic-items", "300", "--epochs", "1", "--eval-every", "1",
    "--dim", "8", "--max-len", "10", "--validation-users", "20", "--threads", "1"
  };

  @Test
  void attachesTheCatalogueWithTheModelsItemTable(@TempDir Path dir) throws Exception {
    run(concat(TINY, "--artifacts", dir.resolve("a").toString()));
    LoadedArtifact artifact = ArtifactReader.load(onlyVersion(dir.resolve("a")));
    SummaryCatalogue catalogue = SummaryCatalogue.read(artifact.dir(), SummaryCatalogue.Limits.defaults());
    assertThat(catalogue.size()).isEqualTo(300);
    assertThat(catalogue.embeddingName()).isEqualTo("model:item_embedding");
    String first = artifact.itemIds().get(1);
    SummaryItem item = catalogue.item(first).orElseThrow();
    assertThat(item.title()).isNotBlank().isNotEqualTo(first);
    assertThat(item.attributes()).containsKey("brand").doesNotContainKey("title");
    float[] row = artifact.weights().get("item_embedding").data();
    assertThat(item.embedding()).containsExactly(java.util.Arrays.copyOfRange(row, 8, 16));

    run(concat(TINY, "--artifacts", dir.resolve("b").toString(), "--no-summary-catalogue"));
    assertThat(SummaryCatalogue.listedIn(ArtifactReader.readManifest(onlyVersion(dir.resolve("b"))).manifest())).isFalse();
  }
}
