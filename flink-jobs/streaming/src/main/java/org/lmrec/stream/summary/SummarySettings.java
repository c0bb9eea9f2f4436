package org.lmrec.stream.summary;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.summary.Blocks;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.chat.ChatEndpoint;
import org.lmrec.summary.chat.LocalChatModels;

/**
 * The {@code lmrec.summaries.*} options as the summary operators take them; refuses, with the
 * reason, settings that cannot work (a strategy a stream cannot keep up to date, an endpoint backend
 * without a URL) before the job is submitted.
 */
public record SummarySettings(
    boolean enabled, int blockSize, int maxBlocks, Backend backend, String catalogueDir, long maxCatalogueBytes, int tokenBudget, List<String> facets,
    String endpointUrl, String endpointModel, String endpointApiKey, Duration callTimeout, int retries, int maxConcurrent, int maxTokens,
    Duration timeout, int capacity, GgufSettings gguf) implements Serializable {

  /** Where summaries are made: in the operator, or by a generative LM through Async I/O (an endpoint, or a GGUF checkpoint in-process). */
  public enum Backend {
    EXTRACTIVE, ENDPOINT, GGUF;

    /** Whether summaries come from a generative LM through Flink Async I/O. */
    public boolean generative() {
      return this != EXTRACTIVE;
    }
  }

  public static SummarySettings extractive(String catalogueDir) {
    return new SummarySettings(true, Blocks.DEFAULT_SIZE, Blocks.DEFAULT_MAX_BLOCKS, Backend.EXTRACTIVE, catalogueDir, 512L << 20, 64,
        List.of("categories", "brand"), null, "default", "", Duration.ofSeconds(10), 1, 4, 128, Duration.ofSeconds(60), 100, GgufSettings.none());
  }

  public SummarySettings {
    facets = List.copyOf(facets);
    if (blockSize < 1 || maxBlocks < 1) throw new IllegalArgumentException("lmrec.summaries.block-size and max-blocks must be at least 1");
    if (tokenBudget < 1 || capacity < 1) throw new IllegalArgumentException("lmrec.summaries.token-budget and capacity must be at least 1");
    if (enabled && backend == Backend.ENDPOINT && (endpointUrl == null || endpointUrl.isBlank())) {
      throw new IllegalArgumentException("lmrec.summaries.backend=endpoint needs lmrec.summaries.endpoint.url");
    }
    if (enabled && backend == Backend.GGUF) {
      gguf.options(); // refuses a missing model path or impossible numbers
      if (!LocalChatModels.available("gguf")) throw new IllegalArgumentException("lmrec.summaries.backend=gguf: " + LocalChatModels.missing("gguf"));
    }
    if (enabled && catalogueDir == null) {
      throw new IllegalArgumentException("lmrec.summaries.enabled needs lmrec.summaries.catalogue or lmrec.model.initial");
    }
  }

  public static SummarySettings from(Configuration o) {
    String strategy = o.get(StreamingOptions.SUMMARIES_STRATEGY).trim().toLowerCase(Locale.ROOT);
    if (!strategy.equals("recurrent")) {
      throw new IllegalArgumentException("lmrec.summaries.strategy=" + strategy + " is not supported in the stream: only 'recurrent' "
          + "updates a summary from the previous one and the newest block");
    }
    Backend backend;
    try {
      backend = Backend.valueOf(o.get(StreamingOptions.SUMMARIES_BACKEND).trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lmrec.summaries.backend must be extractive, endpoint or gguf, got " + o.get(StreamingOptions.SUMMARIES_BACKEND));
    }
    String catalogue = o.getOptional(StreamingOptions.SUMMARIES_CATALOGUE).orElse(o.getOptional(StreamingOptions.INITIAL_MODEL).orElse(null));
    return new SummarySettings(o.get(StreamingOptions.SUMMARIES_ENABLED), o.get(StreamingOptions.SUMMARIES_BLOCK_SIZE),
        o.get(StreamingOptions.SUMMARIES_MAX_BLOCKS), backend, catalogue, o.get(StreamingOptions.SUMMARIES_MAX_CATALOGUE_BYTES).getBytes(),
        o.get(StreamingOptions.SUMMARIES_TOKEN_BUDGET), o.get(StreamingOptions.SUMMARIES_FACETS), o.getOptional(StreamingOptions.SUMMARIES_ENDPOINT_URL).orElse(null),
        o.get(StreamingOptions.SUMMARIES_ENDPOINT_MODEL), o.get(StreamingOptions.SUMMARIES_ENDPOINT_API_KEY),
        o.get(StreamingOptions.SUMMARIES_ENDPOINT_CALL_TIMEOUT), o.get(StreamingOptions.SUMMARIES_ENDPOINT_RETRIES),
        o.get(StreamingOptions.SUMMARIES_ENDPOINT_MAX_CONCURRENT), o.get(StreamingOptions.SUMMARIES_ENDPOINT_MAX_TOKENS),
        o.get(StreamingOptions.SUMMARIES_TIMEOUT), o.get(StreamingOptions.SUMMARIES_CAPACITY),
        new GgufSettings(o.getOptional(StreamingOptions.SUMMARIES_GGUF_MODEL).orElse(null), o.get(StreamingOptions.SUMMARIES_GGUF_CONTEXT_TOKENS),
            o.get(StreamingOptions.SUMMARIES_GGUF_THREADS), o.get(StreamingOptions.SUMMARIES_GGUF_MAX_TOKENS),
            o.get(StreamingOptions.SUMMARIES_GGUF_CALL_TIMEOUT)));
  }

  public SummarySettings withBackend(Backend b, String url) {
    return new SummarySettings(enabled, blockSize, maxBlocks, b, catalogueDir, maxCatalogueBytes, tokenBudget, facets, url, endpointModel,
        endpointApiKey, callTimeout, retries, maxConcurrent, maxTokens, timeout, capacity, gguf);
  }

  public SummarySettings withGguf(GgufSettings g) {
    return new SummarySettings(enabled, blockSize, maxBlocks, Backend.GGUF, catalogueDir, maxCatalogueBytes, tokenBudget, facets, endpointUrl,
        endpointModel, endpointApiKey, callTimeout, retries, maxConcurrent, maxTokens, timeout, capacity, g);
  }

  public SummarySettings withTimeouts(Duration call, int r, Duration refresh) {
    return new SummarySettings(enabled, blockSize, maxBlocks, backend, catalogueDir, maxCatalogueBytes, tokenBudget, facets, endpointUrl, endpointModel,
        endpointApiKey, call, r, maxConcurrent, maxTokens, refresh, capacity, gguf);
  }

  public SummarySettings withMaxCatalogueBytes(long bytes) {
    return new SummarySettings(enabled, blockSize, maxBlocks, backend, catalogueDir, bytes, tokenBudget, facets, endpointUrl, endpointModel,
        endpointApiKey, callTimeout, retries, maxConcurrent, maxTokens, timeout, capacity, gguf);
  }

  public ExtractiveSummariser extractive() {
    ExtractiveSummariser.Options d = ExtractiveSummariser.Options.defaults();
    return new ExtractiveSummariser(new ExtractiveSummariser.Options(facets, d.titles(), d.valuesPerFacet(), tokenBudget, d.recency()));
  }

  public ChatEndpoint endpoint() {
    return ChatEndpoint.of(endpointUrl, endpointModel).withApiKey(endpointApiKey).withTimeout(callTimeout).withRetries(retries)
        .withMaxConcurrent(maxConcurrent).withMaxTokens(maxTokens);
  }

  public SummaryCatalogue.Limits catalogueLimits() {
    return SummaryCatalogue.Limits.defaults().withMaxBytes(maxCatalogueBytes);
  }

  public Path cataloguePath() {
    return org.lmrec.stream.scoring.ModelLoader.toPath(catalogueDir);
  }

  @Override
  public String toString() {
    return "SummarySettings[" + backend + ", blocks of " + blockSize + ", at most " + maxBlocks + ", catalogue " + catalogueDir
        + (backend == Backend.ENDPOINT ? ", " + endpoint() : "") + (backend == Backend.GGUF ? ", " + gguf : "")
        + (backend.generative() ? ", timeout " + timeout + ", capacity " + capacity : "") + "]";
  }
}
