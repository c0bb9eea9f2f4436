package org.lmrec.bench.jmh;

import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lmrec.serving.TopK;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The step after scoring: the top 10 of one user's score row, excluding a 50-item history. One operation = one user. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TopKBenchmark {
  @Param({"3000", "100000"})
  public int items;

  private float[] scores;
  private BitSet seen;

  @Setup
  public void setUp() {
    Random r = new Random(items);
    scores = new float[items + 1];
    for (int i = 1; i <= items; i++) scores[i] = (float) r.nextGaussian();
    scores[0] = Float.NEGATIVE_INFINITY;
    seen = new BitSet(items + 1);
    for (int i = 0; i < 50; i++) seen.set(1 + r.nextInt(items));
  }

  @Benchmark
  public int[] top10() {
    return TopK.select(scores, 10, seen);
  }
}
