package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MetricsHttpServer}: GET /metrics and POST /trigger, alone and in front of a real scheduler. */
class RetrainMetricsHttpTest {
  @TempDir Path tmp;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  HttpResponse<String> send(int port, String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheMetricsTextAndAnswersTriggersOnAnEphemeralPort() throws Exception {
    RetrainMetrics metrics = new RetrainMetrics();
    metrics.newInteractionsPending(123);
    AtomicBoolean accept = new AtomicBoolean(true);
    try (MetricsHttpServer server = MetricsHttpServer.start(loopback(), metrics, accept::get)) {
      assertThat(server.port()).isPositive();

      HttpResponse<String> scrape = send(server.port(), "GET", "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(scrape.body()).isEqualTo(metrics.render()).contains("lmrec_retrain_new_interactions_pending 123\n");

      assertThat(send(server.port(), "POST", "/trigger").statusCode()).isEqualTo(202);
      accept.set(false);
      assertThat(send(server.port(), "POST", "/trigger").statusCode()).isEqualTo(409);
      assertThat(send(server.port(), "GET", "/trigger").statusCode()).isEqualTo(405);
      assertThat(send(server.port(), "POST", "/metrics").statusCode()).isEqualTo(405);
      assertThat(send(server.port(), "GET", "/metrics/x").statusCode()).isEqualTo(404);
      assertThat(send(server.port(), "GET", "/").statusCode()).isEqualTo(404);

      assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("HTTP-Dispatcher")
          || t.getName().startsWith("lmrec-retrain-http")).isNotEmpty().allMatch(Thread::isDaemon);
    }
  }

  @Test
  void triggerNeedsTheBearerTokenWhenOneIsSetAndAnyOtherAddressNeedsOne() throws Exception {
    AtomicBoolean accept = new AtomicBoolean(true);
    try (MetricsHttpServer server = MetricsHttpServer.start(loopback(), new RetrainMetrics(), accept::get, "s3cret")) {
      assertThat(send(server.port(), "POST", "/trigger").statusCode()).isEqualTo(401);
      assertThat(send(server.port(), "POST", "/trigger", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(send(server.port(), "POST", "/trigger", "Bearer s3cret").statusCode()).isEqualTo(202);
      assertThat(send(server.port(), "GET", "/metrics").statusCode()).isEqualTo(200); // the scrape needs no token
    }
    InetSocketAddress everywhere = new InetSocketAddress(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsHttpServer.start(everywhere, new RetrainMetrics(), accept::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a token");
    try (MetricsHttpServer byPort = MetricsHttpServer.start(0, new RetrainMetrics(), accept::get)) {
      assertThat(byPort.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  HttpResponse<String> send(int port, String method, String path, String authorization) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", authorization)
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void triggerStartsAManualRunAndIsRefusedWhileItRuns() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RetrainTask task = trigger -> {
      assertThat(trigger).isEqualTo(RetrainTask.MANUAL);
      started.countDown();
      release.await(10, TimeUnit.SECONDS);
      return RunReport.published("v1", "test");
    };
    ScheduleSettings settings = new ScheduleSettings(Duration.ofHours(1), 0, null, null, false);
    try (RetrainScheduler scheduler = new RetrainScheduler(settings, task, tmp.resolve(".retrain.lock"), null, new RetrainMetrics())
            .start();
        MetricsHttpServer server = MetricsHttpServer.start(loopback(), scheduler.metrics(), scheduler::triggerNow)) {
      assertThat(send(server.port(), "POST", "/trigger").statusCode()).isEqualTo(202);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(send(server.port(), "POST", "/trigger").statusCode()).isEqualTo(409);
      assertThat(send(server.port(), "GET", "/metrics").body()).contains("lmrec_retrain_running 1\n");
      release.countDown();
      ArchiveFixture.await("run finished", () -> scheduler.metrics().runsSucceeded() == 1);
      assertThat(send(server.port(), "GET", "/metrics").body())
          .contains("lmrec_retrain_running 0\n", "lmrec_retrain_run_outcomes_total{outcome=\"published\"} 1\n");
    }
  }
}
