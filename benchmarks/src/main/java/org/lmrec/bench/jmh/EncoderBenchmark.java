package org.lmrec.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.Gru4RecEncoder;
import org.lmrec.serving.ItemCatalogue.Kernel;
import org.lmrec.serving.SasRecEncoder;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The history encoders on one micro-batch of full-length histories: one history at a time
 * ({@code encode}, the plain-loop reference) against the whole batch at once ({@code encodeBatch}
 * on the vector kernel, and on the scalar fallback). The GRU4Rec step benchmarks advance a stored
 * hidden state by one new item and produce its output vector, the per-event work of a job that keeps
 * the GRU state per user instead of the history. One operation = the whole batch (one event per user
 * for the steps); {@link #flopsPerHistory} turns rates into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The one-by-one paths allocate hundreds of MB/s; on a VM, first touches of new heap pages then cost
// more than the arithmetic and drift over the run. Touching the heap at start-up takes that out.
@Fork(jvmArgsAppend = "-XX:+AlwaysPreTouch")
public class EncoderBenchmark {
  /** SASRec blocks and GRU4Rec layers measured: the models' defaults. */
  public static final int SASREC_BLOCKS = 2;
  public static final int GRU_LAYERS = 1;
  private static final int ITEMS = 3000;

  @Param({"64"})
  public int batch;

  @Param({"64"})
  public int dim;

  @Param({"50"})
  public int maxLen;

  private SasRecEncoder sasRec;
  private SasRecEncoder sasRecScalar;
  private Gru4RecEncoder gru;
  private Gru4RecEncoder gruScalar;
  private int[][] histories;
  /** Each user's GRU state after its history, and the working copies the step benchmarks advance. */
  private float[][] storedStates;
  private float[][] states;
  private int[] newItems;

  @Setup
  public void setUp() {
    ModelConfig sasCfg = ModelConfig.defaults(ModelKind.SASREC).withDim(dim).withBlocks(SASREC_BLOCKS).withHeads(1).withMaxLen(maxLen);
    ModelConfig gruCfg = ModelConfig.defaults(ModelKind.GRU4REC).withDim(dim).withBlocks(GRU_LAYERS).withMaxLen(maxLen);
    TensorMap sasWeights = sasRecWeights(sasCfg);
    TensorMap gruWeights = gruWeights(gruCfg);
    sasRec = new SasRecEncoder(sasCfg, sasWeights, Kernel.VECTOR);
    sasRecScalar = new SasRecEncoder(sasCfg, sasWeights, Kernel.SCALAR);
    gru = new Gru4RecEncoder(gruCfg, gruWeights, Kernel.VECTOR);
    gruScalar = new Gru4RecEncoder(gruCfg, gruWeights, Kernel.SCALAR);
    Random r = new Random(17);
    histories = new int[batch][maxLen];
    for (int[] h : histories) for (int t = 0; t < maxLen; t++) h[t] = 1 + r.nextInt(ITEMS);
    storedStates = new float[batch][];
    states = new float[batch][];
    newItems = new int[batch];
    for (int u = 0; u < batch; u++) {
      storedStates[u] = gru.initialState();
      for (int item : histories[u]) gru.step(storedStates[u], item);
      states[u] = storedStates[u].clone();
      newItems[u] = 1 + r.nextInt(ITEMS);
    }
  }

  @Benchmark
  public float[][] sasRecEncode() {
    float[][] out = new float[batch][];
    for (int u = 0; u < batch; u++) out[u] = sasRec.encode(histories[u]);
    return out;
  }

  @Benchmark
  public float[][] sasRecEncodeBatch() {
    return sasRec.encodeBatch(histories);
  }

  @Benchmark
  public float[][] sasRecEncodeBatchScalar() {
    return sasRecScalar.encodeBatch(histories);
  }

  @Benchmark
  public float[][] gruEncode() {
    float[][] out = new float[batch][];
    for (int u = 0; u < batch; u++) out[u] = gru.encode(histories[u]);
    return out;
  }

  @Benchmark
  public float[][] gruEncodeBatch() {
    return gru.encodeBatch(histories);
  }

  @Benchmark
  public float[][] gruEncodeBatchScalar() {
    return gruScalar.encodeBatch(histories);
  }

  /**
   * One new item per user on its stored state, one user at a time. Every call starts from the
   * same stored states (restoring them costs 1/50 of a step), so every call does the same work.
   */
  @Benchmark
  public float[][] gruStep() {
    float[][] out = new float[batch][];
    for (int u = 0; u < batch; u++) {
      System.arraycopy(storedStates[u], 0, states[u], 0, states[u].length);
      gru.step(states[u], newItems[u]);
      out[u] = gru.output(states[u]);
    }
    return out;
  }

  @Benchmark
  public float[][] gruStepBatch() {
    for (int u = 0; u < batch; u++) System.arraycopy(storedStates[u], 0, states[u], 0, states[u].length);
    return gru.stepBatch(states, newItems);
  }

  /**
   * Multiply-adds counted as 2 FLOPs, per history (per event for the steps). SASRec: every block but
   * the last projects all n positions (6 d x d products) and attends over them (2 n d per position);
   * the last block projects keys and values of all positions and does the rest for the newest only.
   */
  public static double flopsPerHistory(String benchmark, int dim, int maxLen) {
    double d = dim;
    double n = maxLen;
    if (benchmark.startsWith("sasRec")) {
      return (SASREC_BLOCKS - 1) * 2 * n * (6 * d * d + 2 * n * d) + 2 * 2 * n * d * d + 2 * (4 * d * d + 2 * n * d);
    }
    if (benchmark.startsWith("gruStep")) return 2 * GRU_LAYERS * 6 * d * d + 2 * d * d;
    if (benchmark.startsWith("gru")) return 2 * n * GRU_LAYERS * 6 * d * d + 2 * d * d;
    throw new IllegalArgumentException("no FLOP count for benchmark " + benchmark);
  }

  private static TensorMap sasRecWeights(ModelConfig cfg) {
    int d = cfg.dim();
    Random r = new Random(23);
    TensorMap w = new TensorMap();
    put(w, r, "item_embedding", ITEMS + 1, d);
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

  private static TensorMap gruWeights(ModelConfig cfg) {
    int d = cfg.dim();
    Random r = new Random(29);
    TensorMap w = new TensorMap();
    put(w, r, "item_embedding", ITEMS + 1, d);
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
