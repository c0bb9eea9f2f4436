package org.lmrec.retrainjob.schedule;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The long-running scheduler's HTTP face: {@code GET /metrics} for Prometheus and
 * {@code POST /trigger} to ask for a run now (202 when queued, 409 when a run is already going on
 * or queued in this process). The JDK's built-in server is enough for a scrape a minute and keeps
 * the job free of a web framework. All its threads are daemons, so it never keeps the JVM alive.
 *
 * <p>{@code /trigger} starts expensive work, so it is guarded: bound to loopback it answers any
 * local caller; bound to any other address it needs a token, sent as {@code Authorization: Bearer
 * <token>} (401 otherwise), and the server refuses to start without one. {@code /metrics} is
 * read-only and stays open for the scraper.
 */
public final class MetricsHttpServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves on loopback at {@code port}, trigger without a token; 0 picks a free port (see {@link #port()}). */
  public static MetricsHttpServer start(int port, RetrainMetrics metrics, BooleanSupplier manualTrigger) throws IOException {
    return start(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), metrics, manualTrigger, null);
  }

  /** Binds {@code address} with no trigger token: refused unless it is a loopback address. */
  public static MetricsHttpServer start(InetSocketAddress address, RetrainMetrics metrics, BooleanSupplier manualTrigger) throws IOException {
    return start(address, metrics, manualTrigger, null);
  }

  /**
   * Binds and starts serving.
   *
   * @param address where to listen; port 0 picks a free port
   * @param metrics what {@code GET /metrics} renders
   * @param manualTrigger called by {@code POST /trigger}: true if a run was queued, false if one
   *     is already running or queued (e.g. {@link RetrainScheduler#triggerNow()})
   * @param triggerToken the bearer token {@code /trigger} requires; null = none, allowed on loopback only
   * @throws IllegalArgumentException for a non-loopback address without a token, or a blank token
   */
  public static MetricsHttpServer start(InetSocketAddress address, RetrainMetrics metrics, BooleanSupplier manualTrigger, String triggerToken)
      throws IOException {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(manualTrigger, "manualTrigger");
    if (triggerToken != null && triggerToken.isBlank()) throw new IllegalArgumentException("the /trigger token is blank");
    if (triggerToken == null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
      throw new IllegalArgumentException("refusing to serve /trigger on " + address + " without a token: bind to loopback, or set a trigger token");
    }
    byte[] expected = triggerToken == null ? null : ("Bearer " + triggerToken).getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lmrec-retrain-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> handle(ex, "GET", () -> reply(ex, 200, PROMETHEUS_TEXT, metrics.render())));
    server.createContext("/trigger", ex -> handle(ex, "POST", () -> {
      if (expected != null && !authorized(ex, expected)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        reply(ex, 401, PLAIN_TEXT, "a valid bearer token is required\n");
      } else if (manualTrigger.getAsBoolean()) {
        reply(ex, 202, PLAIN_TEXT, "retraining queued\n");
      } else {
        reply(ex, 409, PLAIN_TEXT, "a retraining is already running or queued\n");
      }
    }));
    server.createContext("/", ex -> {
      try (ex) {
        reply(ex, 404, PLAIN_TEXT, "not found; try GET /metrics or POST /trigger\n");
      }
    });
    startOnDaemonThread(server, executor);
    return new MetricsHttpServer(server, executor);
  }

  /**
   * {@link HttpServer#start()} creates its dispatcher thread without marking it a daemon, and a
   * new thread inherits the daemon flag of the thread that creates it; so start it from one.
   */
  private static void startOnDaemonThread(HttpServer server, ExecutorService executor) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        server.start();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "lmrec-retrain-http-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      executor.shutdownNow();
      throw new IllegalStateException("interrupted while starting the HTTP server", e);
    }
    if (failure.get() != null) {
      server.stop(0);
      executor.shutdownNow();
      throw failure.get();
    }
  }

  /** Compares in constant time, so the answer's timing says nothing about the token. */
  private static boolean authorized(HttpExchange ex, byte[] expected) {
    String given = ex.getRequestHeaders().getFirst("Authorization");
    return given != null && java.security.MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void handle(HttpExchange ex, String method, Action action) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!path.equals(ex.getHttpContext().getPath())) {
        reply(ex, 404, PLAIN_TEXT, "not found\n");
      } else if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
        ex.getResponseHeaders().set("Allow", method);
        reply(ex, 405, PLAIN_TEXT, "use " + method + "\n");
      } else {
        try {
          action.run();
        } catch (RuntimeException e) {
          if (ex.getResponseCode() == -1) {
            reply(ex, 500, PLAIN_TEXT, "internal error: " + e + "\n");
          }
          throw e;
        }
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
