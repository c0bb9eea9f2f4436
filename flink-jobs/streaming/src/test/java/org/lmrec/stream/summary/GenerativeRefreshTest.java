package org.lmrec.stream.summary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.UserSummaryUpdate;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.lmrec.summary.chat.ChatSummariser;
import org.lmrec.summary.chat.LocalChatModel;
import org.lmrec.summary.chat.LocalChatModels;
import org.lmrec.summary.gguf.TinyGguf;

/**
 * The endpoint backend through Flink's Async I/O operator (unordered, as the job wires it) against
 * a real HTTP server (the JDK's) that answers, fails with 500, or hangs; then the results operator
 * on RocksDB: a failure or timeout keeps the old summary and is counted, a stale result is dropped.
 * No real LM server is reachable here: the server answers with a digest of the prompt.
 */
class GenerativeRefreshTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final AtomicReference<String> mode = new AtomicReference<>("ok");
  final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  HttpServer server;
  ExecutorService threads;
  SummarySettings settings;
  SummaryCatalogue catalogue;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    threads = Executors.newFixedThreadPool(8);
    server.setExecutor(threads);
    server.createContext("/v1/chat/completions", exchange -> {
      calls.incrementAndGet();
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      switch (mode.get()) {
        case "broken" -> reply(exchange, 500, "{\"error\":\"overloaded\"}");
        case "slow" -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        }
        default -> {
          String prompt = request.path("messages").path(1).path("content").asText();
          String content = "profile " + Integer.toHexString(prompt.hashCode());
          reply(exchange, 200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + JSON.valueToTree(content) + "}}]}");
        }
      }
    });
    server.start();
    Path artifact = SummaryFixtures.artifact(dir, 30, 7);
    catalogue = SummaryCatalogue.read(artifact, SummaryCatalogue.Limits.defaults());
    settings = SummarySettings.extractive(artifact.toString())
        .withBackend(SummarySettings.Backend.ENDPOINT, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .withTimeouts(Duration.ofSeconds(20), 0, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Requests through an Async I/O operator (test processing time: it advances only when told). */
  List<RefreshResult> refresh(List<RefreshRequest> requests, long advanceMillis) throws Exception {
    var factory = new AsyncWaitOperatorFactory<RefreshRequest, RefreshResult>(new GenerativeRefresh(settings), settings.timeout().toMillis(),
        settings.capacity(), AsyncDataStream.OutputMode.UNORDERED);
    var h = new OneInputStreamOperatorTestHarness<>(factory, TypeInformation.of(RefreshRequest.class).createSerializer(new SerializerConfigImpl()));
    try {
      h.open();
      for (RefreshRequest r : requests) h.processElement(r, 0);
      if (advanceMillis > 0) {
        // The server is hanging on to the call: the deadline is the only way out.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (calls.get() < requests.size() && System.nanoTime() < deadline) Thread.onSpinWait();
        h.setProcessingTime(advanceMillis);
      }
      h.endInput(); // waits for every request in flight
      return new ArrayList<>(h.extractOutputValues());
    } finally {
      h.close();
    }
  }

  RefreshRequest request(String user, long blocks, List<String> itemIds) {
    String[] items = itemIds.stream().map(id -> {
      SummaryItem i = catalogue.item(id).orElseThrow();
      var node = JSON.createObjectNode().put("t", i.title());
      i.attributes().forEach(node.putObject("a")::put);
      return node.toString();
    }).toArray(String[]::new);
    return new RefreshRequest(user, blocks, itemIds.size() / 5, items, 0);
  }

  static List<String> ids(int from, int n) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) out.add("item-" + i);
    return out;
  }

  @Test
  void aBrokenOrSlowEndpointKeepsTheOldSummaryAndCountsTheFailure() throws Exception {
    List<RefreshResult> ok = refresh(List.of(request("u", 1, ids(1, 5)), request("u", 2, ids(1, 10))), 0);
    assertThat(ok).hasSize(2).allSatisfy(r -> assertThat(r.failure).isNull());
    RefreshResult second = ok.stream().filter(r -> r.blocks == 2).findFirst().orElseThrow();
    assertThat(calls.get()).as("one call for the first block, two (block, then update) for the second").isEqualTo(3);
    List<SummaryItem> items = ids(1, 10).stream().map(id -> catalogue.item(id).orElseThrow()).toList();
    assertThat(second.text).isEqualTo(SummaryStrategy.RECURRENT.summarise(new ChatSummariser(settings.endpoint()), items, 5, 5).text());

    mode.set("broken");
    List<RefreshResult> broken = refresh(List.of(request("u", 3, ids(1, 15))), 0);
    assertThat(broken).singleElement().satisfies(r -> {
      assertThat(r.text).isNull();
      assertThat(r.failure).contains("HTTP 500");
    });

    mode.set("slow");
    calls.set(0);
    List<RefreshResult> slow = refresh(List.of(request("u", 4, ids(1, 20))), settings.timeout().toMillis() + 1);
    assertThat(slow).singleElement().satisfies(r -> {
      assertThat(r.text).isNull();
      assertThat(r.failure).isEqualTo("timed out after PT5S");
    });

    SummaryResults results = new SummaryResults(Duration.ZERO);
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(results), (RefreshResult r) -> r.userId, Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.open();
    try {
      // Unordered: the newer result first, then the older one, which must not overwrite it.
      h.processElement(second, 1);
      h.processElement(ok.stream().filter(r -> r.blocks == 1).findFirst().orElseThrow(), 2);
      h.processElement(broken.get(0), 3);
      h.processElement(slow.get(0), 4);
      List<UserSummaryUpdate> out = h.extractOutputValues();
      assertThat(out).singleElement().satisfies(u -> {
        assertThat(u.getBlocks()).isEqualTo(2);
        assertThat(u.getText()).isEqualTo(second.text);
        assertThat(u.getSummariserVersion()).isEqualTo("chat-v1(model=default;max_tokens=128)");
      });
      assertThat(results.refreshCount()).isEqualTo(1);
      assertThat(results.staleCount()).isEqualTo(1);
      assertThat(results.failureCount()).isEqualTo(2);
    } finally {
      h.close();
    }
  }

  @Test
  void aGgufCheckpointSummarisesInProcessWithOneCopyForEverySubtask() throws Exception {
    Path checkpoint = TinyGguf.write(dir.resolve("tiny.gguf"), 11, TinyGguf.CHATML);
    GgufSettings gguf = new GgufSettings(checkpoint.toString(), 2048, 1, 16, Duration.ofSeconds(30));
    settings = settings.withGguf(gguf);
    var first = new GenerativeRefresh(settings);
    var second = new GenerativeRefresh(settings);
    long loads = SharedLocalModels.loads();
    first.open(null);
    second.open(null);
    try {
      assertThat(SharedLocalModels.loads() - loads).as("two subtasks, one loaded checkpoint").isEqualTo(1);
      assertThat(SharedLocalModels.open()).isEqualTo(1);
    } finally {
      first.close();
      second.close();
    }
    assertThat(SharedLocalModels.open()).as("the last subtask to close frees it").isZero();

    List<RefreshResult> results = refresh(List.of(request("u", 1, ids(1, 5)), request("u", 2, ids(1, 10))), 0);
    assertThat(results).hasSize(2).allSatisfy(r -> {
      assertThat(r.failure).isNull();
      assertThat(r.summariserVersion).startsWith("chat-v1(gguf=tiny.gguf;fingerprint=");
    });
    List<SummaryItem> items = ids(1, 10).stream().map(id -> catalogue.item(id).orElseThrow()).toList();
    try (LocalChatModel model = LocalChatModels.open("gguf", gguf.options())) {
      String expected = SummaryStrategy.RECURRENT.summarise(new ChatSummariser(model, 200), items, 5, 5).text();
      assertThat(results.stream().filter(r -> r.blocks == 2).findFirst().orElseThrow().text).isNotBlank().isEqualTo(expected);
    }
    assertThat(calls.get()).as("nothing went to the endpoint").isZero();
  }

  @Test
  void aGgufCheckpointThatCannotLoadFailsEachRefreshWithTheReasonAndTheJobRunsOn() throws Exception {
    Path notGguf = java.nio.file.Files.writeString(dir.resolve("notes.gguf"), "not a checkpoint");
    settings = settings.withGguf(new GgufSettings(notGguf.toString(), 256, 1, 16, Duration.ofSeconds(30)));
    List<RefreshResult> results = refresh(List.of(request("u", 1, ids(1, 5))), 0);
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.text).isNull();
      assertThat(r.failure).startsWith("GGUF model not loaded: ").contains("not a usable GGUF checkpoint");
    });
  }

  @Test
  void theGgufBackendIsRefusedBeforeSubmissionWithoutAModelPath() {
    org.apache.flink.configuration.Configuration o = summariesFrom("gguf");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SummarySettings.from(o)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lmrec.summaries.gguf.model");
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_GGUF_MODEL, "/models/any.gguf");
    assertThat(SummarySettings.from(o).backend()).isEqualTo(SummarySettings.Backend.GGUF);
  }

  @Test
  void theEndpointsTokenBudgetOptionReachesTheRequests() {
    org.apache.flink.configuration.Configuration o = summariesFrom("endpoint");
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_ENDPOINT_URL, "http://127.0.0.1:1/v1");
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_ENDPOINT_MAX_TOKENS, 64);
    assertThat(SummarySettings.from(o).endpoint().maxTokens()).isEqualTo(64);
  }

  private org.apache.flink.configuration.Configuration summariesFrom(String backend) {
    org.apache.flink.configuration.Configuration o = new org.apache.flink.configuration.Configuration();
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_ENABLED, true);
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_BACKEND, backend);
    o.set(org.lmrec.stream.StreamingOptions.SUMMARIES_CATALOGUE, dir.toString());
    return o;
  }
}
