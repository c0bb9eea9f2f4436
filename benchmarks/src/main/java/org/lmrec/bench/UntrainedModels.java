package org.lmrec.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;

/**
 * Seeded untrained models of a given shape written as real artifacts: what serving and replay cost
 * does not depend on how well a model was trained, so throughput benchmarks use these.
 */
final class UntrainedModels {
  private UntrainedModels() {}

  /** @param itemIds external ids by index, entry 0 null (padding), as {@code Dataset.itemIds()} */
  static ModelArtifact write(Path root, String version, ModelConfig cfg, List<String> itemIds, TrainingDataInfo data) {
    try (SequentialModel m = SequentialModels.create(cfg, itemIds.size() - 1, null)) {
      return ArtifactWriter.write(root, version, cfg.kind().id(), cfg.toMap(), m.exportWeights(), itemIds, data, Map.of(), Map.of());
    }
  }
}
