package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;

/**
 * SASRec attends only to the past (METHODS.md §2 warns that LLMEmb's reference SASRec has no
 * causal mask): changing the last item of a sequence leaves every earlier position's features
 * unchanged, and changes the last one.
 */
class SasRecCausalityTest {
  @Test
  void aLaterItemNeverChangesAnEarlierPosition() {
    ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withBlocks(2).withHeads(2).withMaxLen(6).withSeed(3);
    try (SasRecNetwork model = new SasRecNetwork(cfg, 30, null); NDManager step = model.root.newSubManager()) {
      long[] rows = {0, 4, 9, 2, 7, 11, 0, 4, 9, 2, 7, 25}; // two rows, equal but for the last item
      NDArray feats = model.features(step, model.items.effective(step), DjlOps.longs(step, rows, new Shape(2, 6)), false);
      float[] a = feats.get(0).toFloatArray();
      float[] b = feats.get(1).toFloatArray();
      int dim = cfg.dim();
      for (int i = 0; i < 5 * dim; i++) assertThat(b[i]).as("position %d", i / dim).isCloseTo(a[i], offset(1e-6f));
      float lastDiff = 0;
      for (int i = 5 * dim; i < 6 * dim; i++) lastDiff = Math.max(lastDiff, Math.abs(a[i] - b[i]));
      assertThat(lastDiff).as("the last position sees its own item").isGreaterThan(1e-3f);
    }
  }
}
