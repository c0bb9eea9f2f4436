package org.lmrec.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.lmrec.model.EngineSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The baseline: the same product as a plain PyTorch matrix multiply through DJL, [batch, d] x
 * [d, items] with both operands created once. The result stays in native memory (copying it to
 * Java arrays, which a serving path would also need, is not counted). Every parameter set runs in
 * its own JVM, so the PyTorch thread count set before the engine starts is the one it uses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DjlMatmulBenchmark {
  @Param({"1", "32", "256"})
  public int batch;

  @Param({"3000", "100000"})
  public int items;

  @Param({"64"})
  public int dim;

  /** PyTorch intra-op threads: 1 is the per-core comparison (a Flink slot owns one core). */
  @Param({"1", "2"})
  public int threads;

  private NDManager manager;
  private NDArray users;
  private NDArray itemsByDim;

  @Setup
  public void setUp() {
    EngineSettings.configure(threads);
    manager = NDManager.newBaseManager("PyTorch");
    float[] table = ScoringData.itemTable(items, dim);
    float[] transposed = new float[dim * items]; // [d, items] without the padding row
    for (int i = 1; i <= items; i++) {
      for (int c = 0; c < dim; c++) transposed[c * items + (i - 1)] = table[i * dim + c];
    }
    itemsByDim = manager.create(transposed, new Shape(dim, items));
    float[][] u = ScoringData.users(batch, dim);
    float[] flat = new float[batch * dim];
    for (int b = 0; b < batch; b++) System.arraycopy(u[b], 0, flat, b * dim, dim);
    users = manager.create(flat, new Shape(batch, dim));
  }

  @TearDown
  public void tearDown() {
    manager.close();
  }

  @Benchmark
  public void matmul(Blackhole bh) {
    try (NDArray scores = users.matMul(itemsByDim)) {
      bh.consume(scores);
    }
  }
}
