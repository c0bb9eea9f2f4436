package org.lmrec.stream.scoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.lmrec.serving.BatchRecommender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models on their own threads while the old ones keep serving, and hands each result back to
 * the task thread through its mailbox, where the swap happens atomically between two records. One
 * load per slot (a model line, or a version pinned by an experiment arm): a newer announcement for
 * a slot supersedes the pending one. A load still running after the timeout (a processing-time
 * timer) is refused. A thread blocked in a read (a FIFO, a stalled mount) cannot be stopped, so the
 * threads that exist at once are capped, stuck ones included, and a load beyond the cap is refused.
 * Every method but the loader threads' own work runs on the task thread.
 */
final class BackgroundModelLoads implements ServedModels.Loads, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundModelLoads.class);
  private static final int NAME_CHARS = 80;

  /** What to do with a finished load, called on the task thread. */
  interface Listener {
    void loaded(Load load, BatchRecommender model);

    void refused(Load load, String reason);
  }

  /** The work of one load, run on its own thread; may throw anything. */
  interface Loader {
    BatchRecommender load(ModelPointer pointer) throws Exception;
  }

  /** One load in progress: its slot, the pointer, and its result once the thread finishes. */
  static final class Load {
    final String slot;
    final ModelPointer pointer;
    final long startedNanos = System.nanoTime();
    private final CompletableFuture<BatchRecommender> result = new CompletableFuture<>();
    private Thread thread;
    private ScheduledFuture<?> timer;
    private boolean settled;

    Load(String slot, ModelPointer pointer) {
      this.slot = slot;
      this.pointer = pointer;
    }

    long elapsedMillis() {
      return (System.nanoTime() - startedNanos) / 1_000_000;
    }
  }

  private final Loader loader;
  private final Listener listener;
  private final MailboxExecutor mailbox;
  private final ProcessingTimeService time;
  private final ModelLoading settings;
  private final Map<String, Load> pending = new LinkedHashMap<>();
  /** Loader threads started and not yet ended, stuck and superseded ones included. */
  private final AtomicInteger threads = new AtomicInteger();
  private long superseded;
  private long timedOut;
  private boolean closed;

  BackgroundModelLoads(Loader loader, Listener listener, MailboxExecutor mailbox, ProcessingTimeService time, ModelLoading settings) {
    this.loader = loader;
    this.listener = listener;
    this.mailbox = mailbox;
    this.time = time;
    this.settings = settings;
  }

  /**
   * Starts loading {@code pointer} into {@code slot}, superseding a pending load of another pointer
   * there; the same pointer already loading is left alone. Refused through the listener when the
   * thread cap is reached.
   */
  @Override
  public void start(String slot, ModelPointer pointer) {
    if (closed) return;
    Load current = pending.get(slot);
    if (current != null && current.pointer.equals(pointer)) return;
    if (current != null) supersede(current, "superseded by " + pointer);
    Load load = new Load(slot, pointer);
    if (threads.get() >= settings.maxThreads()) {
      load.settled = true;
      listener.refused(load, "refused " + pointer + ": " + threads.get() + " model loads are still running (some may be stuck), the cap"
          + " (lmrec.models.max-loading-threads)");
      return;
    }
    pending.put(slot, load);
    threads.incrementAndGet();
    Thread t = new Thread(() -> run(load), cut("lmrec-model-load " + slot + " " + pointer.version));
    t.setDaemon(true);
    load.thread = t;
    long now = time.getCurrentProcessingTime();
    long timeoutMillis = settings.timeout().toMillis();
    load.timer = time.registerTimer(now > Long.MAX_VALUE - timeoutMillis ? Long.MAX_VALUE : now + timeoutMillis, at -> timeOut(load));
    t.start();
  }

  /** Drops the pending load of {@code slot} (its announcement was overtaken by a newer one). */
  @Override
  public void cancel(String slot, String why) {
    Load current = pending.get(slot);
    if (current != null) supersede(current, why);
  }

  /**
   * Waits up to the timeout for the pending load of {@code slot} and settles it if it finished:
   * for the model a restored task serves, which should serve from its first request. A load not
   * finished stays pending and its timer refuses it.
   */
  @Override
  public void await(String slot) throws InterruptedException {
    Load load = pending.get(slot);
    if (load == null) return;
    try {
      load.result.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return;
    } catch (ExecutionException e) {
      // settled below as a refusal
    }
    settle(load);
  }

  /** The pointer loading into {@code slot}, or null. */
  @Override
  public ModelPointer pendingPointer(String slot) {
    Load load = pending.get(slot);
    return load == null ? null : load.pointer;
  }

  @Override
  public boolean isPending(String slot) {
    return pending.containsKey(slot);
  }

  boolean idle() {
    return pending.isEmpty();
  }

  /** The pointers still loading, by slot, in the order their loads started (for the checkpoint: a restored task starts them again). */
  @Override
  public Map<String, ModelPointer> pendingPointers() {
    Map<String, ModelPointer> pointers = new LinkedHashMap<>();
    for (Load load : pending.values()) pointers.put(load.slot, load.pointer);
    return pointers;
  }

  int threads() {
    return threads.get();
  }

  long superseded() {
    return superseded;
  }

  long timedOut() {
    return timedOut;
  }

  /** Stops every pending load: none settles any more; a thread stuck in a read stays until the read ends. */
  @Override
  public void close() {
    closed = true;
    for (Load load : pending.values()) stop(load);
    pending.clear();
  }

  private void run(Load load) {
    try {
      load.result.complete(loader.load(load.pointer));
    } catch (Throwable e) { // an OutOfMemoryError included: a refusal, never a task failure
      load.result.completeExceptionally(e);
    } finally {
      threads.decrementAndGet();
    }
    try {
      mailbox.execute(() -> settle(load), "model load of %s finished", load.slot);
    } catch (Throwable e) {
      // The task has ended (its mailbox is closed): there is nothing left to swap.
      LOG.debug("model load of {} finished after its task ended", load.pointer, e);
    }
  }

  private void settle(Load load) {
    if (load.settled || closed) return;
    load.settled = true;
    pending.remove(load.slot, load);
    if (load.timer != null) load.timer.cancel(false);
    BatchRecommender model;
    try {
      model = load.result.getNow(null);
    } catch (Throwable e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      listener.refused(load, cause instanceof ModelLoader.ModelRefusedException ? cause.getMessage() : "refused " + load.pointer + ": " + cause);
      return;
    }
    listener.loaded(load, model);
  }

  private void timeOut(Load load) {
    if (load.settled || closed) return;
    timedOut++;
    stop(load);
    pending.remove(load.slot, load);
    listener.refused(load, "refused " + load.pointer + ": not loaded within " + settings.timeout() + " (lmrec.models.load-timeout);"
        + " its thread " + (load.thread.isAlive() ? "is still blocked and counts against lmrec.models.max-loading-threads" : "has ended"));
  }

  private void supersede(Load load, String why) {
    superseded++;
    stop(load);
    pending.remove(load.slot, load);
    LOG.info("stopped loading {} after {} ms: {}", load.pointer, load.elapsedMillis(), why);
  }

  /** Settles nothing from now on, and interrupts the thread (that ends a read of a regular file; not a blocked open of a FIFO). */
  private static void stop(Load load) {
    load.settled = true;
    if (load.timer != null) load.timer.cancel(false);
    if (load.thread != null) load.thread.interrupt();
  }

  private static String cut(String name) {
    return name.length() <= NAME_CHARS ? name : name.substring(0, NAME_CHARS);
  }
}
