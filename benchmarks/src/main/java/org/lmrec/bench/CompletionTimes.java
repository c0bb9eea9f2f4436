package org.lmrec.bench;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that records when each record arrived, for measuring a job that has no other output (the
 * ingest-only run). The job runs on an in-process MiniCluster, so a static buffer is shared with
 * the harness.
 */
final class CompletionTimes<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  static volatile long[] times = new long[0];
  static final AtomicInteger count = new AtomicInteger();

  static void reset(int capacity) {
    times = new long[capacity];
    count.set(0);
  }

  static long[] snapshot() {
    int n = Math.min(count.get(), times.length);
    return java.util.Arrays.copyOf(times, n);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        int i = count.getAndIncrement();
        long[] t = times;
        if (i < t.length) t[i] = System.currentTimeMillis();
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
