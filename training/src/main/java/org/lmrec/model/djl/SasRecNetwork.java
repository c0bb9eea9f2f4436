package org.lmrec.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;

/**
 * SASRec (Kang and McAuley, 2018) as in its reference implementation: scaled item embedding plus a
 * learned position, then blocks of [query layer-norm, causal multi-head attention whose keys and
 * values are the un-normalised input, residual from the normalised query] and [layer-norm,
 * two-layer ReLU feed-forward with residual], a final layer-norm.
 *
 * <p>One deliberate difference: padded positions are masked out as attention keys, so a history's
 * representation does not depend on how much padding precedes it. Serving then computes only the
 * real positions and still matches training exactly.
 *
 * <p>Positions count from the end of the padded window: the newest item always has position
 * {@code maxLen}, the one before it {@code maxLen - 1}, and so on.
 */
public final class SasRecNetwork extends DjlSequentialModel {
  /** SASRec's training registration: rows padded on the left, newest item in the last column. */
  public static final TrainingBackbone BACKBONE = TrainingBackbone.of(ModelKind.SASREC, true, SasRecNetwork::new);

  static final float LAYER_NORM_EPS = 1e-8f;

  private final NDArray positions; // [maxLen + 1, d], row 0 unused
  private final Block[] blocks;
  private final NDArray finalGamma;
  private final NDArray finalBeta;

  private record Block(
      NDArray attnGamma, NDArray attnBeta,
      NDArray wq, NDArray bq, NDArray wk, NDArray bk, NDArray wv, NDArray bv, NDArray wo, NDArray bo,
      NDArray ffnGamma, NDArray ffnBeta,
      NDArray w1, NDArray b1, NDArray w2, NDArray b2) {}

  public SasRecNetwork(ModelConfig config, int numItems, EmbeddingInit init) {
    super(config, numItems, init);
    int d = config.dim();
    positions = params.xavier("position_embedding", config.maxLen() + 1, d);
    blocks = new Block[config.blocks()];
    for (int i = 0; i < blocks.length; i++) {
      String p = "block" + i + ".";
      blocks[i] =
          new Block(
              params.constantFill(p + "attn_norm.gamma", d, 1f), params.constantFill(p + "attn_norm.beta", d, 0f),
              params.xavier(p + "attn.q.weight", d, d), params.constantFill(p + "attn.q.bias", d, 0f),
              params.xavier(p + "attn.k.weight", d, d), params.constantFill(p + "attn.k.bias", d, 0f),
              params.xavier(p + "attn.v.weight", d, d), params.constantFill(p + "attn.v.bias", d, 0f),
              params.xavier(p + "attn.out.weight", d, d), params.constantFill(p + "attn.out.bias", d, 0f),
              params.constantFill(p + "ffn_norm.gamma", d, 1f), params.constantFill(p + "ffn_norm.beta", d, 0f),
              params.xavier(p + "ffn.1.weight", d, d), params.constantFill(p + "ffn.1.bias", d, 0f),
              params.xavier(p + "ffn.2.weight", d, d), params.constantFill(p + "ffn.2.bias", d, 0f));
    }
    finalGamma = params.constantFill("final_norm.gamma", d, 1f);
    finalBeta = params.constantFill("final_norm.beta", d, 0f);
  }

  @Override
  protected boolean rightAligned() {
    return true;
  }

  @Override
  protected NDArray features(NDManager step, NDArray table, NDArray inputs, boolean training) {
    long b = inputs.getShape().get(0);
    int len = (int) inputs.getShape().get(1);
    int d = config.dim();
    int heads = config.heads();
    int dh = d / heads;
    float drop = config.dropout();

    NDArray mask = inputs.neq(0).toType(DataType.FLOAT32, false).expandDims(2); // [B, L, 1]
    NDArray pos = DjlOps.rows(positions, (config.maxLen() - len + 1) + ":", step);
    NDArray x = DjlOps.embed(inputs, table).mul(DjlOps.scalar(step, (float) Math.sqrt(d))).add(pos);
    x = DjlOps.dropout(x, drop, training).mul(mask);
    NDArray attnMask = attentionMask(step, inputs, b, len);
    NDArray attnScale = DjlOps.scalar(step, (float) (1.0 / Math.sqrt(dh)));

    for (Block blk : blocks) {
      NDArray q = DjlOps.layerNorm(x, blk.attnGamma, blk.attnBeta, LAYER_NORM_EPS);
      NDArray qh = split(DjlOps.linear(q, blk.wq, blk.bq), b, len, heads, dh);
      NDArray kh = split(DjlOps.linear(x, blk.wk, blk.bk), b, len, heads, dh);
      NDArray vh = split(DjlOps.linear(x, blk.wv, blk.bv), b, len, heads, dh);
      NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(attnScale).add(attnMask);
      NDArray attn = DjlOps.dropout(scores.softmax(-1), drop, training);
      NDArray merged = attn.matMul(vh).transpose(0, 2, 1, 3).reshape(b, len, d);
      x = q.add(DjlOps.linear(merged, blk.wo, blk.bo));

      NDArray f = DjlOps.layerNorm(x, blk.ffnGamma, blk.ffnBeta, LAYER_NORM_EPS);
      NDArray hidden = DjlOps.dropout(DjlOps.linear(f, blk.w1, blk.b1), drop, training).getNDArrayInternal().relu();
      NDArray ffn = DjlOps.dropout(DjlOps.linear(hidden, blk.w2, blk.b2), drop, training);
      x = f.add(ffn).mul(mask);
    }
    return DjlOps.layerNorm(x, finalGamma, finalBeta, LAYER_NORM_EPS);
  }

  private static NDArray split(NDArray x, long b, int len, int heads, int dh) {
    return x.reshape(b, len, heads, dh).transpose(0, 2, 1, 3);
  }

  /**
   * Additive mask broadcast to [B, 1, L, L]: query t may see key s when s <= t and s is a real
   * item. It is the sum of a causal [L, L] part and a key-padding [B, 1, 1, L] part, so the full
   * B x L x L mask is never materialised on the JVM. A padded query sees no real key and gets a
   * uniform, finite attention row; its output is masked away afterwards.
   */
  private static NDArray attentionMask(NDManager step, NDArray inputs, long b, int len) {
    float[] causal = new float[len * len];
    for (int t = 0; t < len; t++) {
      for (int s = t + 1; s < len; s++) causal[t * len + s] = -1e9f;
    }
    NDArray keyPadding = inputs.eq(0).toType(DataType.FLOAT32, false).mul(DjlOps.scalar(step, -1e9f)).reshape(b, 1, 1, len);
    return keyPadding.add(DjlOps.floats(step, causal, new Shape(1, 1, len, len)));
  }

}
