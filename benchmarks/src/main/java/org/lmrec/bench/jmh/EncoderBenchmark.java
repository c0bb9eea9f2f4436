package org.lmrec.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lmrec.bench.FlopCount;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.Gru4RecEncoder;
import org.lmrec.serving.RandomEncoderWeights;
import org.lmrec.serving.ItemCatalogue.Kernel;
import org.lmrec.serving.SasRecEncoder;
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
    TensorMap sasWeights = RandomEncoderWeights.sasRec(sasCfg, ITEMS, 23);
    TensorMap gruWeights = RandomEncoderWeights.gru4Rec(gruCfg, ITEMS, 29);
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

  /** Multiply-adds counted as 2 FLOPs, per history (per event for the steps); see {@link FlopCount#encoder}. */
  public static double flopsPerHistory(String benchmark, int dim, int maxLen) {
    ModelConfig sasRec = ModelConfig.defaults(ModelKind.SASREC).withDim(dim).withBlocks(SASREC_BLOCKS).withMaxLen(maxLen);
    ModelConfig gru = ModelConfig.defaults(ModelKind.GRU4REC).withDim(dim).withBlocks(GRU_LAYERS).withMaxLen(maxLen);
    if (benchmark.startsWith("sasRec")) return FlopCount.encoder(sasRec);
    if (benchmark.startsWith("gruStep")) return FlopCount.encoder(gru.withMaxLen(1));
    if (benchmark.startsWith("gru")) return FlopCount.encoder(gru);
    throw new IllegalArgumentException("no FLOP count for benchmark " + benchmark);
  }
}
