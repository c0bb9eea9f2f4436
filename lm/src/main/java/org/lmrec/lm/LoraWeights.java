package org.lmrec.lm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * The LoRA matrices of every layer and target, with the {@link LoraConfig} they were trained under.
 * A is [in, rank], B is [rank, out], in the [in, out] orientation of the projections, so the
 * projection becomes W + scale · A · B. In a {@link TensorMap} they are named {@code
 * lora.<layer>.<target>.A} / {@code .B} (e.g. {@code lora.0.query.A}); the config itself belongs in
 * the artifact's manifest and is passed back to {@link #fromTensorMap}.
 */
public final class LoraWeights {
  private static final Pattern NAME = Pattern.compile("lora\\.(\\d+)\\.([a-z_]+)\\.([AB])");

  private final LoraConfig config;
  private final int layers;
  private final Map<String, Tensor> tensors; // by tensor name, in layer/target order

  public LoraWeights(LoraConfig config, int layers, Map<String, Tensor> tensors) {
    this.config = Objects.requireNonNull(config, "config");
    this.layers = layers;
    this.tensors = tensors;
    validate();
  }

  /** The tensor name of one matrix ({@code a = true}: A, else B). */
  public static String tensorName(int layer, LoraTarget target, boolean a) {
    return "lora." + layer + "." + target.key() + "." + (a ? "A" : "B");
  }

  /** All matrices, named as in the class comment. The tensors are copies. */
  public TensorMap toTensorMap() {
    TensorMap m = new TensorMap();
    tensors.forEach((name, t) -> m.put(name, new Tensor(t.data().clone(), t.shape())));
    return m;
  }

  /**
   * Reads the matrices written by {@link #toTensorMap()}. Every layer must have A and B for exactly
   * the targets of {@code cfg}, with rank {@code cfg.rank()}; other tensors in the map (other model
   * parts) are ignored unless their name starts with {@code lora.}.
   */
  public static LoraWeights fromTensorMap(TensorMap m, LoraConfig cfg) {
    Map<String, Tensor> found = new TreeMap<>();
    int maxLayer = -1;
    for (String name : m.names()) {
      if (!name.startsWith("lora.")) continue;
      Matcher matcher = NAME.matcher(name);
      if (!matcher.matches()) throw new IllegalArgumentException("tensor '" + name + "' looks like LoRA but is not named lora.<layer>.<target>.A|B");
      LoraTarget target = LoraTarget.ofKey(matcher.group(2));
      if (!cfg.targets().contains(target)) {
        throw new IllegalArgumentException("tensor '" + name + "' is for target " + target + ", which the LoRA config " + cfg.targets() + " does not have");
      }
      maxLayer = Math.max(maxLayer, Integer.parseInt(matcher.group(1)));
      found.put(name, m.get(name));
    }
    if (maxLayer < 0) throw new IllegalArgumentException("no LoRA tensors (lora.<layer>.<target>.A|B) in the tensor map");
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (int l = 0; l <= maxLayer; l++) {
      for (LoraTarget t : cfg.orderedTargets()) {
        for (boolean a : new boolean[] {true, false}) {
          String name = tensorName(l, t, a);
          Tensor tensor = found.get(name);
          if (tensor == null) throw new IllegalArgumentException("LoRA tensor '" + name + "' is missing from the tensor map");
          ordered.put(name, new Tensor(tensor.data().clone(), tensor.shape()));
        }
      }
    }
    return new LoraWeights(cfg, maxLayer + 1, ordered);
  }

  public LoraConfig config() {
    return config;
  }

  public int layers() {
    return layers;
  }

  /** A [in, rank] of one layer and target (not copied). */
  public Tensor a(int layer, LoraTarget target) {
    return get(tensorName(layer, target, true));
  }

  /** B [rank, out] of one layer and target (not copied). */
  public Tensor b(int layer, LoraTarget target) {
    return get(tensorName(layer, target, false));
  }

  /** The change LoRA makes to one projection, scale · A · B, as [in, out]: fold it into W to serve without the adapter. */
  public Tensor delta(int layer, LoraTarget target) {
    Tensor a = a(layer, target);
    Tensor b = b(layer, target);
    int in = a.dim(0);
    int r = a.dim(1);
    int out = b.dim(1);
    float scale = config.scale();
    float[] ad = a.data();
    float[] bd = b.data();
    float[] d = new float[in * out];
    for (int i = 0; i < in; i++) {
      for (int k = 0; k < r; k++) {
        float aik = ad[i * r + k] * scale;
        if (aik == 0f) continue;
        int bo = k * out;
        int dO = i * out;
        for (int j = 0; j < out; j++) d[dO + j] += aik * bd[bo + j];
      }
    }
    return new Tensor(d, in, out);
  }

  /** True when every B is zero, i.e. the adapter does not change the model (its initial state). */
  public boolean isIdentity() {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().endsWith(".B")) for (float v : e.getValue().data()) if (v != 0f) return false;
    }
    return true;
  }

  /** Number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : tensors.values()) n += t.size();
    return n;
  }

  private Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) throw new IllegalArgumentException("no LoRA matrix " + name + " (layers " + layers + ", targets " + config.targets() + ")");
    return t;
  }

  private void validate() {
    for (int l = 0; l < layers; l++) {
      for (LoraTarget t : config.orderedTargets()) {
        Tensor a = get(tensorName(l, t, true));
        Tensor b = get(tensorName(l, t, false));
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != config.rank() || b.dim(0) != config.rank()) {
          throw new IllegalArgumentException(
              "LoRA layer " + l + " " + t.key() + ": A " + Arrays.toString(a.shape()) + " and B " + Arrays.toString(b.shape())
                  + " do not fit rank " + config.rank() + " (A must be [in, rank], B [rank, out])");
        }
        int bad = Math.max(a.firstNonFinite(), b.firstNonFinite());
        if (bad >= 0) throw new IllegalArgumentException("LoRA layer " + l + " " + t.key() + " holds a NaN or infinite value");
      }
    }
    if (tensors.size() != 2 * layers * config.targets().size()) {
      throw new IllegalArgumentException("LoRA weights hold " + tensors.size() + " matrices, expected " + 2 * layers * config.targets().size());
    }
  }
}
