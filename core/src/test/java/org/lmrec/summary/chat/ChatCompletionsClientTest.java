package org.lmrec.summary.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;

/** The endpoint client against a real HTTP server (the JDK's) that answers well, slowly, badly or not at all. */
class ChatCompletionsClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  final CountDownLatch release = new CountDownLatch(1);
  HttpServer server;
  ExecutorService threads;

  /** A server whose n-th answer (from 0) is {@code answer.apply(n)}: status and body, or null to hang until the test ends. */
  ChatEndpoint serve(Function<Integer, Map.Entry<Integer, String>> answer) throws IOException {
    AtomicInteger n = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    threads = Executors.newFixedThreadPool(16);
    server.setExecutor(threads);
    server.createContext("/v1/chat/completions", exchange -> {
      requests.add(JSON.readTree(exchange.getRequestBody()));
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) authorizations.add(auth);
      Map.Entry<Integer, String> a = answer.apply(n.getAndIncrement());
      if (a == null) {
        await(release);
        exchange.close();
        return;
      }
      reply(exchange, a.getKey(), a.getValue());
    });
    server.start();
    return ChatEndpoint.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "test-model")
        .withTimeout(Duration.ofMillis(500)).withRetries(2);
  }

  static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map.Entry<Integer, String> ok(String content) {
    return Map.entry(200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + JSON.valueToTree(content) + "}}]}");
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) server.stop(0);
    if (threads != null) threads.shutdownNow();
  }

  @Test
  void sendsTheChatRequestAndReturnsTheAnswer() throws Exception {
    ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> ok("  Likes cameras.  ")).withApiKey("sk-secret"));
    assertThat(client.complete("system text", "user text")).isEqualTo("Likes cameras.");
    JsonNode sent = requests.peek();
    assertThat(sent.path("model").asText()).isEqualTo("test-model");
    assertThat(sent.path("temperature").asInt()).isZero();
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("system text");
    assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(authorizations).containsExactly("Bearer sk-secret");
    assertThat(client.attempts()).isEqualTo(1);
  }

  @Test
  void retriesServerErrorsAndThenAnswers() throws Exception {
    ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> n < 2 ? Map.entry(n == 0 ? 503 : 429, "busy") : ok("fine")));
    assertThat(client.complete("s", "u")).isEqualTo("fine");
    assertThat(client.attempts()).isEqualTo(3);
    assertThat(client.failures()).isZero();
  }

  @Test
  void aSlowServerTimesOutEveryAttemptAndFails() throws Exception {
    ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> null));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.complete("s", "u")).isInstanceOf(ChatException.class)
        .hasMessageContaining("after 3 attempts").hasMessageContaining("timed out");
    assertThat(client.attempts()).isEqualTo(3);
    assertThat(client.failures()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void malformedAnswersFailWithoutRetry() throws Exception {
    for (String body : List.of("not json", "{\"choices\":[]}", "{\"choices\":[{\"message\":{\"content\":\"\"}}]}")) {
      requests.clear();
      ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> Map.entry(200, body)));
      assertThatThrownBy(() -> client.complete("s", "u")).as(body).isInstanceOf(ChatException.class).hasMessageContaining("malformed answer");
      assertThat(client.attempts()).isEqualTo(1);
      stop();
    }
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> Map.entry(401, "no")));
    assertThatThrownBy(() -> client.complete("s", "u")).hasMessageContaining("HTTP 401");
    assertThat(client.attempts()).isEqualTo(1);
  }

  @Test
  void anOversizedAnswerIsRefused() throws Exception {
    ChatCompletionsClient client = new ChatCompletionsClient(serve(n -> ok("x".repeat(5000))).withMaxResponseBytes(1000));
    assertThatThrownBy(() -> client.complete("s", "u")).hasMessageContaining("larger than 1000 bytes");
  }

  @Test
  void atMostMaxConcurrentCallsAreInFlight() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch twoArrived = new CountDownLatch(2);
    CountDownLatch letGo = new CountDownLatch(1);
    ChatEndpoint endpoint = serve(n -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      twoArrived.countDown();
      await(letGo); // hold the first calls until the test has seen them pile up
      inFlight.decrementAndGet();
      return ok("a" + n);
    }).withMaxConcurrent(2).withTimeout(Duration.ofSeconds(20));
    ChatCompletionsClient client = new ChatCompletionsClient(endpoint);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) answers.add(callers.submit(() -> client.complete("s", "u")));
    assertThat(twoArrived.await(20, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (client.waiting() < 4 && System.nanoTime() < deadline) Thread.onSpinWait(); // the other four queue for a slot
    assertThat(client.waiting()).as("callers queued behind the two in flight").isEqualTo(4);
    assertThat(inFlight.get()).isEqualTo(2);
    letGo.countDown();
    for (Future<String> a : answers) assertThat(a.get(20, TimeUnit.SECONDS)).startsWith("a");
    callers.shutdown();
    assertThat(most.get()).isEqualTo(2);
    assertThat(requests).hasSize(6);
  }

  @Test
  void theRecurrentStrategyAsksWithThePreviousSummary() throws Exception {
    ChatSummariser summariser = new ChatSummariser(serve(n -> ok("profile " + n)));
    List<SummaryItem> history = new ArrayList<>();
    for (int i = 0; i < 10; i++) history.add(new SummaryItem("item " + i, Map.of("category", "Cameras"), null));
    assertThat(SummaryStrategy.RECURRENT.summarise(summariser, history, 5, 5).text()).isEqualTo("profile 1");
    List<JsonNode> sent = new ArrayList<>(requests);
    assertThat(sent.get(0).path("messages").get(1).path("content").asText()).contains("title is item 0; category is Cameras").doesNotContain("item 5");
    assertThat(sent.get(1).path("messages").get(1).path("content").asText()).contains("profile 0").contains("title is item 5").doesNotContain("item 4");
  }

  @Test
  void aFailedSummaryIsAnExceptionTheCallerCanKeepItsOldSummaryOn() throws Exception {
    ChatSummariser summariser = new ChatSummariser(serve(n -> Map.entry(500, "down")).withRetries(1));
    List<SummaryItem> block = List.of(new SummaryItem("a", Map.of(), null));
    assertThatThrownBy(() -> summariser.summariseBlock(block)).isInstanceOf(ChatSummariser.SummaryFailedException.class)
        .hasMessageContaining("HTTP 500");
    assertThat(((ChatCompletionsClient) summariser.model()).failures()).isEqualTo(1);
  }

  @Test
  void theApiKeyStaysOutOfToString() {
    assertThat(ChatEndpoint.of("http://h:1/v1", "m").withApiKey("sk-secret").toString()).doesNotContain("sk-secret").contains("****");
    assertThatThrownBy(() -> ChatEndpoint.of("file:///etc/passwd", "m")).hasMessageContaining("http(s)");
  }
}
