package org.lmrec.stream.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import org.lmrec.summary.chat.LocalChatModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generative backends' refresh, for Flink Async I/O (unordered, bounded capacity, timeout; see
 * {@code StreamingJob}): the recurrent summary over the request's window from core's
 * {@link ChatSummariser}, asking either an OpenAI-compatible endpoint (bounded concurrency, a
 * timeout per attempt, retries) or a GGUF checkpoint run in-process by llama.cpp (one copy per
 * JVM, one generation at a time, a timeout per answer). The calls block, so they run on this
 * function's own threads (the endpoint's max-concurrent, one for GGUF); the task thread only hands
 * them over. A failure or a timeout becomes a failed {@link RefreshResult} with the reason, never an
 * exception that would fail the task; so does a GGUF checkpoint that cannot be loaded (every
 * refresh then fails with that reason, the old summaries keep serving, and the job runs on).
 */
public final class GenerativeRefresh extends RichAsyncFunction<RefreshRequest, RefreshResult> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(GenerativeRefresh.class);

  private final SummarySettings settings;
  private transient ChatSummariser summariser;
  private transient LocalChatModel local;
  private transient String unavailable; // why the backend cannot answer, or null
  private transient ExecutorService calls;

  public GenerativeRefresh(SummarySettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    int threads = settings.maxConcurrent();
    if (settings.backend() == SummarySettings.Backend.GGUF) {
      threads = 1; // the shared model answers one at a time anyway
      try {
        local = SharedLocalModels.acquire("gguf", settings.gguf().options());
        summariser = new ChatSummariser(local, 200);
      } catch (IOException | RuntimeException e) {
        unavailable = "GGUF model not loaded: " + e.getMessage();
        LOG.error("Summaries from {} are off for this subtask, old summaries keep serving: {}", settings.gguf().model(), e.getMessage());
      }
    } else {
      summariser = new ChatSummariser(settings.endpoint());
    }
    calls = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "lmrec-summary-" + settings.backend().name().toLowerCase(java.util.Locale.ROOT));
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void close() {
    if (calls != null) calls.shutdownNow();
    if (local != null) local.close();
  }

  @Override
  public void asyncInvoke(RefreshRequest r, ResultFuture<RefreshResult> result) {
    if (unavailable != null) {
      result.complete(List.of(RefreshResult.failed(r, unavailable, settings.backend().name().toLowerCase(java.util.Locale.ROOT), System.currentTimeMillis())));
      return;
    }
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
    String version = summariser == null ? settings.backend().name().toLowerCase(java.util.Locale.ROOT) : summariser.version();
    result.complete(List.of(RefreshResult.failed(r, "timed out after " + settings.timeout(), version, System.currentTimeMillis())));
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
