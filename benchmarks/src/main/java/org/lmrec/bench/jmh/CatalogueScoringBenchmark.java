package org.lmrec.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.lmrec.serving.ItemCatalogue;
import org.lmrec.serving.ItemCatalogue.Kernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One micro-batch of users scored against the whole catalogue by each ItemCatalogue kernel, into
 * reused output rows as the streaming operator does. One operation = one batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CatalogueScoringBenchmark {
  @Param({"1", "32", "256"})
  public int batch;

  @Param({"3000", "100000"})
  public int items;

  @Param({"64"})
  public int dim;

  private ItemCatalogue vector;
  private ItemCatalogue scalar;
  private ItemCatalogue blas;
  private float[][] users;
  private float[][] out;

  @Setup
  public void setUp() {
    float[] table = ScoringData.itemTable(items, dim);
    vector = new ItemCatalogue(table, items, dim, Kernel.VECTOR);
    scalar = new ItemCatalogue(table, items, dim, Kernel.SCALAR);
    blas = new ItemCatalogue(table, items, dim, Kernel.BLAS);
    users = ScoringData.users(batch, dim);
    out = new float[batch][items + 1];
  }

  @Benchmark
  public float[][] vector() {
    vector.scores(users, batch, out);
    return out;
  }

  /** OpenBLAS sgemm on one thread (module lmrec-serving-blas), the kernel the calibration weighs against vector. */
  @Benchmark
  public float[][] blas() {
    blas.scores(users, batch, out);
    return out;
  }

  @Benchmark
  public float[][] scalar() {
    scalar.scores(users, batch, out);
    return out;
  }
}
