package org.lmrec.summary.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls an OpenAI-compatible {@code /chat/completions} endpoint: temperature 0 (the same prompt
 * gives the same answer where the server is deterministic), at most {@code maxConcurrent} calls
 * in flight, a timeout per attempt, retries with exponential backoff on timeouts, refused
 * connections, 429 and 5xx, answers larger than the cap refused. Thread-safe.
 */
public final class ChatCompletionsClient implements ChatModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BACKOFF_MILLIS = 100;

  private final ChatEndpoint endpoint;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final java.net.URI completionsUri;
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public ChatCompletionsClient(ChatEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = HttpClient.newBuilder().connectTimeout(endpoint.timeout()).build();
    this.inFlight = new Semaphore(endpoint.maxConcurrent(), true);
    this.completionsUri = java.net.URI.create(endpoint.baseUrl().toString().replaceAll("/+$", "") + "/chat/completions");
  }

  /** The assistant's answer to {@code system} + {@code user}, stripped. */
  @Override
  public String complete(String system, String user) throws ChatException, InterruptedException {
    byte[] body = requestBody(system, user);
    inFlight.acquire();
    try {
      String lastReason = null;
      Throwable lastCause = null;
      for (int attempt = 0; attempt <= endpoint.retries(); attempt++) {
        if (attempt > 0) Thread.sleep(BACKOFF_MILLIS << (attempt - 1)); // backoff between attempts, not a wait for a condition
        attempts.incrementAndGet();
        try {
          return send(body);
        } catch (Retryable e) {
          lastReason = e.getMessage();
          lastCause = e.getCause();
        }
      }
      throw new ChatException("no answer from " + endpoint.baseUrl() + " after " + (endpoint.retries() + 1) + " attempts: " + lastReason, lastCause);
    } catch (ChatException e) {
      failures.incrementAndGet();
      throw e;
    } finally {
      inFlight.release();
    }
  }

  @Override
  public int maxTokens() {
    return endpoint.maxTokens();
  }

  @Override
  public String describe() {
    return "model=" + endpoint.model() + ";max_tokens=" + endpoint.maxTokens();
  }

  /** Attempts made so far (retries included): what the endpoint saw. */
  public long attempts() {
    return attempts.get();
  }

  /** Callers waiting for one of the {@code maxConcurrent} slots. */
  public int waiting() {
    return inFlight.getQueueLength();
  }

  /** Calls that failed for good. */
  public long failures() {
    return failures.get();
  }

  private String send(byte[] body) throws ChatException, Retryable, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(completionsUri)
        .timeout(endpoint.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!endpoint.apiKey().isBlank()) request.header("Authorization", "Bearer " + endpoint.apiKey());
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new Retryable("timed out after " + endpoint.timeout(), e);
    } catch (IOException e) {
      throw new Retryable("connection failed: " + e, e);
    }
    byte[] answer;
    try (InputStream in = response.body()) {
      answer = in.readNBytes(endpoint.maxResponseBytes() + 1);
    } catch (IOException e) {
      throw new Retryable("answer cut off: " + e, e);
    }
    int status = response.statusCode();
    if (status == 429 || status >= 500) throw new Retryable("HTTP " + status, null);
    if (status != 200) throw new ChatException("HTTP " + status + " from " + endpoint.baseUrl() + " (not retried)", null);
    if (answer.length > endpoint.maxResponseBytes()) {
      throw new ChatException("answer larger than " + endpoint.maxResponseBytes() + " bytes, refused", null);
    }
    return content(answer);
  }

  private static String content(byte[] answer) throws ChatException {
    try {
      JsonNode text = JSON.readTree(answer).path("choices").path(0).path("message").path("content");
      if (!text.isTextual() || text.asText().isBlank()) throw new ChatException("malformed answer: no choices[0].message.content", null);
      return text.asText().strip();
    } catch (IOException e) {
      throw new ChatException("malformed answer: not JSON (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private byte[] requestBody(String system, String user) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", endpoint.model());
    root.put("temperature", 0);
    root.put("max_tokens", endpoint.maxTokens());
    root.putArray("messages")
        .add(JSON.createObjectNode().put("role", "system").put("content", system))
        .add(JSON.createObjectNode().put("role", "user").put("content", user));
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A failure another attempt may cure. */
  private static final class Retryable extends Exception {
    Retryable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
