package org.lmrec.stream.summary;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.lmrec.schema.UserSummaryUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the endpoint backend's refresh results, keyed by user, to the summary served (keyed
 * state, RocksDB in production). Async I/O returns results unordered, so a result whose sequence
 * number is not above the served one is stale and dropped ({@code lmrecSummaryStaleResults}): an
 * older refresh never overwrites a newer summary. A failed or timed-out refresh changes nothing,
 * the old summary keeps serving, and it is counted ({@code lmrecSummaryRefreshFailures}).
 */
public final class SummaryResults extends KeyedProcessFunction<String, RefreshResult, UserSummaryUpdate> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SummaryResults.class);
  /** Longer answers are cut: what an endpoint sends is bounded before it reaches state. */
  public static final int MAX_TEXT_CHARS = 8192;
  /** Name of the keyed state; part of the savepoint contract, never rename. */
  public static final String STATE_NAME = "served-summary";

  private final Duration ttl;
  private transient ValueState<UserSummaryUpdate> served;
  private transient Counter refreshes;
  private transient Counter failures;
  private transient Counter stale;
  private transient Histogram latency;

  public SummaryResults(Duration ttl) {
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext context) {
    ValueStateDescriptor<UserSummaryUpdate> d = new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(UserSummaryUpdate.class));
    if (!ttl.isZero()) {
      d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
    }
    served = getRuntimeContext().getState(d);
    var metrics = getRuntimeContext().getMetricGroup();
    refreshes = metrics.counter("lmrecSummaryRefreshes");
    failures = metrics.counter("lmrecSummaryRefreshFailures");
    stale = metrics.counter("lmrecSummaryStaleResults");
    latency = metrics.histogram("lmrecSummaryRefreshLatencyMillis", new DescriptiveStatisticsHistogram(10_000));
  }

  @Override
  public void processElement(RefreshResult r, Context ctx, Collector<UserSummaryUpdate> out) throws Exception {
    if (r.text == null) {
      failures.inc();
      LOG.debug("summary refresh {} of user {} failed, the old summary keeps serving: {}", r.blocks, r.userId, r.failure);
      return;
    }
    UserSummaryUpdate current = served.value();
    if (current != null && r.blocks <= current.getBlocks()) {
      stale.inc();
      return;
    }
    String text = r.text.length() > MAX_TEXT_CHARS ? r.text.substring(0, MAX_TEXT_CHARS) : r.text;
    long millis = Math.max(0, r.finishedAt - r.requestedAt);
    UserSummaryUpdate update = new UserSummaryUpdate(r.userId, text, r.summariserVersion, r.blocks, r.windowBlocks, r.finishedAt, millis);
    served.update(update);
    refreshes.inc();
    latency.update(millis);
    out.collect(update);
  }

  long refreshCount() {
    return refreshes.getCount();
  }

  long failureCount() {
    return failures.getCount();
  }

  long staleCount() {
    return stale.getCount();
  }
}
