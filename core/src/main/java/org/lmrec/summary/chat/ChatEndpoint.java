package org.lmrec.summary.chat;

import java.net.URI;
import java.time.Duration;

/**
 * An OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp's server, Ollama) and how to
 * call it, with the defaults beside the settings. The API key never appears in {@link #toString()}.
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:8000/v1}; requests go to {@code baseUrl/chat/completions}
 * @param model the served model's name
 * @param apiKey sent as a bearer token when not blank
 * @param timeout per attempt, connection and answer together
 * @param retries further attempts after a timeout, a refused connection, 429 or 5xx
 * @param maxConcurrent requests in flight at once from this client
 * @param maxTokens the answer's token budget ({@code max_tokens})
 * @param maxResponseBytes larger answers are refused unread (an endpoint is input like any other)
 */
public record ChatEndpoint(URI baseUrl, String model, String apiKey, Duration timeout, int retries, int maxConcurrent,
    int maxTokens, int maxResponseBytes) {
  public static ChatEndpoint of(String baseUrl, String model) {
    return new ChatEndpoint(URI.create(baseUrl), model, "", Duration.ofSeconds(30), 2, 4, 128, 1 << 20);
  }

  public ChatEndpoint {
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) throw new IllegalArgumentException("endpoint must be http(s)://, got " + baseUrl);
    if (model == null || model.isBlank()) throw new IllegalArgumentException("endpoint model is empty");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("endpoint timeout must be positive");
    if (retries < 0 || maxConcurrent < 1 || maxTokens < 1 || maxResponseBytes < 1) {
      throw new IllegalArgumentException("endpoint retries >= 0, max concurrent, max tokens and max response bytes >= 1");
    }
    apiKey = apiKey == null ? "" : apiKey;
  }

  public ChatEndpoint withTimeout(Duration t) {
    return new ChatEndpoint(baseUrl, model, apiKey, t, retries, maxConcurrent, maxTokens, maxResponseBytes);
  }

  public ChatEndpoint withRetries(int r) {
    return new ChatEndpoint(baseUrl, model, apiKey, timeout, r, maxConcurrent, maxTokens, maxResponseBytes);
  }

  public ChatEndpoint withMaxConcurrent(int n) {
    return new ChatEndpoint(baseUrl, model, apiKey, timeout, retries, n, maxTokens, maxResponseBytes);
  }

  public ChatEndpoint withApiKey(String key) {
    return new ChatEndpoint(baseUrl, model, key, timeout, retries, maxConcurrent, maxTokens, maxResponseBytes);
  }

  public ChatEndpoint withMaxTokens(int n) {
    return new ChatEndpoint(baseUrl, model, apiKey, timeout, retries, maxConcurrent, n, maxResponseBytes);
  }

  public ChatEndpoint withMaxResponseBytes(int n) {
    return new ChatEndpoint(baseUrl, model, apiKey, timeout, retries, maxConcurrent, maxTokens, n);
  }

  @Override
  public String toString() {
    return "ChatEndpoint[" + baseUrl + ", model " + model + (apiKey.isBlank() ? "" : ", api key ****") + ", timeout " + timeout
        + ", retries " + retries + ", max concurrent " + maxConcurrent + ", max tokens " + maxTokens + "]";
  }
}
