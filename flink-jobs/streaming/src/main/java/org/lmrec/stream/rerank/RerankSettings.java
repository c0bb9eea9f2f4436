package org.lmrec.stream.rerank;

import java.io.Serializable;
import org.apache.flink.configuration.Configuration;
import org.lmrec.stream.StreamingOptions;

/**
 * The {@code lmrec.rerank.*} options as the scorer takes them (see {@link StreamingOptions}).
 *
 * @param topN SRS candidates re-ranked per request; 0 = off
 * @param budgetMillis re-rank time one micro-batch may spend
 * @param threads ONNX Runtime intra-op threads of one ranker
 * @param promptBatch prompts per ONNX Runtime call
 * @param lmDir base LM folder, or null for all-MiniLM-L6-v2 from the classpath
 */
public record RerankSettings(int topN, long budgetMillis, int threads, int promptBatch, String lmDir) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static RerankSettings off() {
    return new RerankSettings(0, 2000, 1, 32, null);
  }

  public RerankSettings {
    if (topN < 0) throw new IllegalArgumentException("lmrec.rerank.top-n must not be negative, got " + topN);
    if (budgetMillis < 0) throw new IllegalArgumentException("lmrec.rerank.budget must not be negative");
    if (threads < 1 || promptBatch < 1) throw new IllegalArgumentException("lmrec.rerank.threads and prompt-batch must be at least 1");
  }

  public static RerankSettings from(Configuration o) {
    return new RerankSettings(o.get(StreamingOptions.RERANK_TOP_N), o.get(StreamingOptions.RERANK_BUDGET).toMillis(), o.get(StreamingOptions.RERANK_THREADS),
        o.get(StreamingOptions.RERANK_BATCH), o.getOptional(StreamingOptions.RERANK_LM).orElse(null));
  }

  public boolean enabled() {
    return topN > 0;
  }

  /** Refuses a top-n that would re-rank fewer items than a recommendation shows. */
  public void checkAgainst(int topK) {
    if (enabled() && topN < topK) {
      throw new IllegalArgumentException("lmrec.rerank.top-n (" + topN + ") must be at least lmrec.scoring.top-k (" + topK + ") or 0 (off)");
    }
  }

  public RerankSettings withBudgetMillis(long millis) {
    return new RerankSettings(topN, millis, threads, promptBatch, lmDir);
  }
}
