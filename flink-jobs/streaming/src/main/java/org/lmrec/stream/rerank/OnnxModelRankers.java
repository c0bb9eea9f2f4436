package org.lmrec.stream.rerank;

import java.nio.file.Path;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.OnnxYesNoRanker;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.trsr.RankerFiles;
import org.lmrec.trsr.ServedPrompts;

/**
 * The only class of the job that touches module {@code lm} (ONNX Runtime, the tokenizer): it is
 * loaded only when re-ranking is on, so with it off the LM's libraries need not be on the classpath.
 */
final class OnnxModelRankers {
  private OnnxModelRankers() {}

  /**
   * The ranker of a loaded (checksum-verified) artifact with its prompts; throws with the reason
   * when the artifact has no ranker or no summary catalogue, or the ranker does not fit the base LM.
   */
  static ModelRanker open(LoadedArtifact artifact, RerankSettings settings) {
    RankerFiles.Stored stored = RankerFiles.read(artifact);
    SummaryCatalogue catalogue = SummaryCatalogue.read(artifact.dir(), SummaryCatalogue.Limits.defaults());
    ServedPrompts prompts = new ServedPrompts(stored.spec(), catalogue);
    LmCheckpoint checkpoint = settings.lmDir() == null ? LmCheckpoint.defaultMiniLm() : LmCheckpoint.fromFolder(Path.of(settings.lmDir()));
    OnnxYesNoRanker onnx = new OnnxYesNoRanker(checkpoint, settings.threads(), stored);
    int batch = settings.promptBatch();
    return new ModelRanker(prompts, new CandidateRanker() {
      @Override
      public double[] scores(java.util.List<String> contexts, java.util.List<String> items) {
        return onnx.scores(contexts, items, batch);
      }

      @Override
      public void close() {
        onnx.close();
      }
    });
  }
}
