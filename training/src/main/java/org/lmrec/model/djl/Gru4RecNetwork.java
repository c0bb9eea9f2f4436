package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;

/**
 * GRU4Rec with full-sequence training (as RecBole's): item embedding, dropout, a stack of GRU
 * layers (PyTorch's fused kernel), and a dense layer back to the item space, read at every
 * position.
 *
 * <p>Rows are padded on the right: a GRU's state moves even on zero input, so padding first would
 * make a history's representation depend on its padding. This way serving, and a streaming job
 * that keeps the hidden state per user, see exactly what training saw.
 *
 * <p>GRU weights keep PyTorch's layout: {@code w_ih} [3H, in] and {@code w_hh} [3H, H] with gate
 * rows ordered reset, update, new; {@code b_ih}, {@code b_hh} [3H].
 */
public final class Gru4RecNetwork extends DjlSequentialModel {
  /** GRU4Rec's training registration: rows padded on the right (see above). */
  public static final TrainingBackbone BACKBONE = TrainingBackbone.of(ModelKind.GRU4REC, false, Gru4RecNetwork::new);

  private final NDList gruParams = new NDList();
  private final NDArray denseWeight; // [H, d]
  private final NDArray denseBias;

  public Gru4RecNetwork(ModelConfig config, int numItems, EmbeddingInit init) {
    super(config, numItems, init);
    int d = config.dim();
    int h = hidden();
    for (int l = 0; l < config.blocks(); l++) {
      int in = l == 0 ? d : h;
      String p = "gru" + l + ".";
      gruParams.add(params.xavier(p + "w_ih", 3 * h, in));
      gruParams.add(params.xavier(p + "w_hh", 3 * h, h));
      gruParams.add(params.constantFill(p + "b_ih", 3 * h, 0f));
      gruParams.add(params.constantFill(p + "b_hh", 3 * h, 0f));
    }
    denseWeight = params.xavier("dense.weight", h, d);
    denseBias = params.constantFill("dense.bias", d, 0f);
  }

  /** Hidden size; equal to the embedding size so stored states and item vectors line up. */
  private int hidden() {
    return config.dim();
  }

  @Override
  protected boolean rightAligned() {
    return false;
  }

  @Override
  protected NDArray features(NDManager step, NDArray table, NDArray inputs, boolean training) {
    long b = inputs.getShape().get(0);
    NDArray x = DjlOps.dropout(DjlOps.embed(inputs, table), config.dropout(), training);
    NDArray h0 = step.zeros(new Shape(config.blocks(), b, hidden()));
    NDList out =
        x.getNDArrayInternal()
            .gru(x, h0, gruParams, true, config.blocks(), 0.0, training, false, true);
    return DjlOps.linear(out.get(0), denseWeight, denseBias);
  }

}
