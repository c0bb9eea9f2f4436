package org.lmrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.data.Dataset;
import org.lmrec.serving.ServingModel;
import org.lmrec.train.ServedModelTest;
import picocli.CommandLine;

/** Checks that {@code lmrec evaluate}'s numbers for an artifact are exactly the test metrics {@code lmrec train} stored in it. */
public final class StoredTest {
  private StoredTest() {}

  /**
   * @param dataArgs the data options the artifact was trained with ({@code --data}, {@code --synthetic-*})
   * @return the stored test metrics (all of them, for further checks)
   */
  public static Map<String, Double> assertEvaluateRepeatsIt(Path artifactDir, String... dataArgs) {
    DataOptions options = new DataOptions();
    new CommandLine(options).parseArgs(dataArgs);
    LoadedArtifact loaded = ArtifactReader.load(artifactDir);
    Dataset aligned = EvaluateCommand.alignToModel(options.load(), loaded.itemIds());
    ServedModelTest.Result again = EvaluateCommand.evaluate(loaded, ServingModel.fromArtifact(loaded), aligned, null, null);

    Map<String, Double> evaluated = new TreeMap<>(again.metrics());
    evaluated.values().removeIf(v -> !Double.isFinite(v)); // the manifest keeps finite values only
    Map<String, Double> stored = new TreeMap<>();
    loaded.manifest().metrics().forEach((k, v) -> {
      if (k.startsWith(ServedModelTest.FULL) || k.startsWith(ServedModelTest.SAMPLED)) stored.put(k, v);
    });
    assertThat(stored).as("the artifact stores its test metrics").isNotEmpty();
    assertThat(evaluated).as("lmrec evaluate on the saved artifact vs the metrics lmrec train stored").isEqualTo(stored);
    return stored;
  }
}
