package org.lmrec.serving;

import java.util.Random;
import org.lmrec.model.ModelConfig;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * Seeded Gaussian weights (scale 0.3) with the names and shapes the serving encoders read. Shared
 * with the JMH encoder benchmark through lmrec-core's test jar.
 */
public final class RandomEncoderWeights {
  private RandomEncoderWeights() {}

  public static TensorMap sasRec(ModelConfig cfg, int items, long seed) {
    int d = cfg.dim();
    Random r = new Random(seed);
    TensorMap w = new TensorMap();
    put(w, r, "item_embedding", items + 1, d);
    put(w, r, "position_embedding", cfg.maxLen() + 1, d);
    for (int b = 0; b < cfg.blocks(); b++) {
      String p = "block" + b + ".";
      for (String norm : new String[] {"attn_norm", "ffn_norm"}) {
        put(w, r, p + norm + ".gamma", d);
        put(w, r, p + norm + ".beta", d);
      }
      for (String linear : new String[] {"attn.q", "attn.k", "attn.v", "attn.out", "ffn.1", "ffn.2"}) {
        put(w, r, p + linear + ".weight", d, d);
        put(w, r, p + linear + ".bias", d);
      }
    }
    put(w, r, "final_norm.gamma", d);
    put(w, r, "final_norm.beta", d);
    return w;
  }

  public static TensorMap gru4Rec(ModelConfig cfg, int items, long seed) {
    int d = cfg.dim();
    Random r = new Random(seed);
    TensorMap w = new TensorMap();
    put(w, r, "item_embedding", items + 1, d);
    for (int l = 0; l < cfg.blocks(); l++) {
      put(w, r, "gru" + l + ".w_ih", 3 * d, d);
      put(w, r, "gru" + l + ".w_hh", 3 * d, d);
      put(w, r, "gru" + l + ".b_ih", 3 * d);
      put(w, r, "gru" + l + ".b_hh", 3 * d);
    }
    put(w, r, "dense.weight", d, d);
    put(w, r, "dense.bias", d);
    return w;
  }

  private static void put(TensorMap weights, Random r, String name, int... shape) {
    int size = 1;
    for (int s : shape) size *= s;
    float[] v = new float[size];
    for (int i = 0; i < size; i++) v[i] = (float) r.nextGaussian() * 0.3f;
    weights.put(name, new Tensor(v, shape));
  }
}
