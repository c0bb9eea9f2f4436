package org.lmrec.stream.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.lmrec.summary.UserSummary;
import org.lmrec.summary.chat.ChatSummariser;

/**
 * The endpoint backend's refresh, for Flink Async I/O (unordered, bounded capacity, timeout; see
 * {@code StreamingJob}): the recurrent summary over the request's window from an OpenAI-compatible
 * endpoint (core {@link ChatSummariser}: bounded concurrency, a timeout per attempt, retries). The
 * calls block, so they run on this function's own threads, as many as the endpoint's
 * max-concurrent; the task thread only hands them over. A failure or a timeout becomes a failed
 * {@link RefreshResult} with the reason, never an exception that would fail the task.
 */
public final class EndpointRefresh extends RichAsyncFunction<RefreshRequest, RefreshResult> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SummarySettings settings;
  private transient ChatSummariser summariser;
  private transient ExecutorService calls;

  public EndpointRefresh(SummarySettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    summariser = new ChatSummariser(settings.endpoint());
    calls = Executors.newFixedThreadPool(settings.maxConcurrent(), r -> {
      Thread t = new Thread(r, "lmrec-summary-endpoint");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void close() {
    if (calls != null) calls.shutdownNow();
  }

  @Override
  public void asyncInvoke(RefreshRequest r, ResultFuture<RefreshResult> result) {
    String version = summariser.version();
    CompletableFuture.supplyAsync(() -> summarise(r), calls).whenComplete((text, failure) -> {
      long now = System.currentTimeMillis();
      if (failure == null) result.complete(List.of(RefreshResult.ok(r, text, version, now)));
      else result.complete(List.of(RefreshResult.failed(r, describe(failure), version, now)));
    });
  }

  @Override
  public void timeout(RefreshRequest r, ResultFuture<RefreshResult> result) {
    // The call still running ends at its own timeout; its late completion is ignored by Async I/O.
    result.complete(List.of(RefreshResult.failed(r, "timed out after " + settings.timeout(), summariser.version(), System.currentTimeMillis())));
  }

  private String summarise(RefreshRequest r) {
    List<SummaryItem> items = new ArrayList<>(r.items.length);
    for (String item : r.items) items.add(item(item));
    UserSummary s = SummaryStrategy.RECURRENT.summarise(summariser, items, settings.blockSize(), settings.maxBlocks());
    return s.text();
  }

  private static SummaryItem item(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      Map<String, String> attributes = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("a").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        attributes.put(f.getKey(), f.getValue().asText());
      }
      return new SummaryItem(node.path("t").asText(), attributes, null);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("item text is not JSON", e);
    }
  }

  private static String describe(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
