package org.lmrec.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.stream.scoring.ModelPointer;

/** Small real model artifacts for tests: a seeded, untrained DJL network exported as an artifact. */
public final class TestModels {
  private TestModels() {}

  public static String itemId(int index) {
    return "item-" + index;
  }

  public static ModelArtifact write(Path root, String version, ModelKind kind, int numItems, long seed) {
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(16).withBlocks(1).withHeads(1).withMaxLen(20).withSeed(seed);
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= numItems; i++) ids.add(itemId(i));
    try (SequentialModel model = SequentialModels.create(cfg, numItems, null)) {
      return ArtifactWriter.write(
          root, version, kind.id(), cfg.toMap(), model.exportWeights(), ids,
          new TrainingDataInfo("untrained test model", 0, numItems, 0, null, null, "test"), Map.of(), Map.of());
    }
  }

  public static ModelPointer pointer(ModelArtifact a, long announcedAt) {
    return new ModelPointer(a.version(), a.dir().toUri().toString(), a.manifestSha256(), announcedAt);
  }
}
