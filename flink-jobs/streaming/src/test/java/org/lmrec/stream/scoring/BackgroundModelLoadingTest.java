package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactLayout;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.TestModels;

/**
 * The scorer loads announced models off its task thread: a load that blocks (here on a FIFO in
 * place of the manifest, inside the artifact roots) leaves the old model serving, the timeout
 * refuses it, a newer announcement supersedes it, stuck threads are capped, and a load still
 * pending at a checkpoint is started again after a restore.
 */
@Timeout(180)
class BackgroundModelLoadingTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /**
   * A load on the task thread would block the test in a FIFO's open, which no interrupt ends: a
   * watchdog then lets the reader go, so the test fails instead of hanging the build.
   */
  static final long WATCHDOG_SECONDS = Long.getLong("lmrec.test.fifo-watchdog-seconds", 120);
  private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
  @TempDir static Path root;
  static ModelArtifact v1;
  static ModelArtifact v2;

  private final List<Path> fifos = new ArrayList<>();
  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> harness;

  @BeforeAll
  static void models() {
    v1 = TestModels.write(root, "v1", ModelKind.SASREC, 40, 1);
    v2 = TestModels.write(root, "v2", ModelKind.GRU4REC, 40, 2);
  }

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> open(ModelLimits limits, int maxThreads,
      OperatorSubtaskState restore) throws Exception {
    var h = new TwoInputStreamOperatorTestHarness<>(
        new ScoringOperator(TestModels.pointer(v1, 1), limits, new ModelLoading(TIMEOUT, maxThreads), 5, 1, 20));
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    return h;
  }

  private TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> open(int maxThreads) throws Exception {
    return open(new ModelLimits(ArtifactRoots.of(List.of(root)), 4, Long.MAX_VALUE), maxThreads, null);
  }

  @AfterEach
  void releaseFifosAndClose() throws Exception {
    finished.countDown();
    if (harness != null) harness.close();
    for (Path fifo : fifos) unblock(fifo);
  }

  private ScoringOperator op() {
    return (ScoringOperator) harness.getOperator();
  }

  /** Answers one request (batch size 1) and returns the version that served it. */
  private String served(String eventId) throws Exception {
    int before = harness.extractOutputValues().size();
    harness.processElement1(ScoringOperatorTest.request(eventId, "item-1", "item-2"), 1);
    List<Recommendation> out = harness.extractOutputValues();
    assertThat(out).hasSize(before + 1);
    return out.get(before).getModelVersion().toString();
  }

  /** A copy of v2 inside the roots whose manifest is a FIFO: reading it blocks until someone writes. */
  private Path hangingCopyOfV2(String name) throws Exception {
    Path dir = root.resolve(name);
    try (var files = Files.walk(v2.dir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = dir.resolve(v2.dir().relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else if (!p.getFileName().toString().equals(ArtifactLayout.MANIFEST)) Files.copy(p, target);
      }
    }
    Path fifo = dir.resolve(ArtifactLayout.MANIFEST);
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0;
    } catch (java.io.IOException e) {
      made = false;
    }
    Assumptions.assumeTrue(made, "mkfifo is not available here");
    fifos.add(fifo);
    Thread watchdog = new Thread(() -> {
      try {
        if (!finished.await(WATCHDOG_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) unblock(fifo);
      } catch (Exception e) {
        // the test ended
      }
    }, "fifo-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return dir;
  }

  private static ModelPointer pointerTo(Path dir, long announcedAt) {
    return new ModelPointer("v2", dir.toUri().toString(), v2.manifestSha256(), announcedAt);
  }

  /** Lets whoever is blocked opening the FIFO go; never blocks (O_RDWR on a FIFO does not wait for the other side). */
  private static void unblock(Path fifo) throws Exception {
    if (!Files.exists(fifo)) return;
    try (RandomAccessFile both = new RandomAccessFile(fifo.toFile(), "rw")) {
      // closed at once
    }
  }

  /**
   * Lets the loader blocked on (or about to open) the FIFO go: a writer that opens as soon as the
   * reader does and closes at once, so the load reads nothing and fails; joined to wait for it.
   */
  private static Thread release(Path fifo) {
    Thread writer = new Thread(() -> {
      try {
        new java.io.FileOutputStream(fifo.toFile()).close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "fifo-release");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /**
   * Writes v2's real manifest into the FIFO as soon as the loader opens it, so the load finishes;
   * from a thread of its own, as opening a FIFO to write waits for a reader.
   */
  private static void deliverManifest(Path dir) throws Exception {
    byte[] manifest = Files.readAllBytes(v2.dir().resolve(ArtifactLayout.MANIFEST));
    Thread writer = new Thread(() -> {
      try {
        Files.write(dir.resolve(ArtifactLayout.MANIFEST), manifest);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "fifo-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** The loader threads alive now; a test waits for the ones it released to end by joining them. */
  private static List<Thread> loaderThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lmrec-model-load") && t.isAlive()).toList();
  }

  @Test
  void whileALoadHangsTheOldModelServesAndTheTimeoutRefusesIt() throws Exception {
    harness = open(4);
    harness.setProcessingTime(0);
    Path hanging = hangingCopyOfV2("hanging");
    harness.processElement2(pointerTo(hanging, 2), 1); // returns at once: the load runs on its own thread
    assertThat(op().loadsPending()).isTrue();
    assertThat(served("during-1")).isEqualTo("v1");
    assertThat(served("during-2")).isEqualTo("v1");

    harness.setProcessingTime(TIMEOUT.toMillis() - 1);
    assertThat(op().loadsPending()).isTrue();
    harness.setProcessingTime(TIMEOUT.toMillis());
    assertThat(op().loadsPending()).as("refused at the timeout").isFalse();
    assertThat(op().refusalCount()).isEqualTo(1);
    assertThat(served("after")).isEqualTo("v1");

    // A later good announcement still loads although the first thread is still blocked.
    harness.processElement2(TestModels.pointer(v2, 3), 1);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(served("swapped")).isEqualTo("v2");
  }

  @Test
  void aSlowLoadSwapsOnTheTaskThreadWhenItFinishesAndEarlierRequestsGetTheOldModel() throws Exception {
    harness = open(4);
    Path slow = hangingCopyOfV2("slow");
    harness.processElement2(pointerTo(slow, 2), 1);
    assertThat(served("while-loading")).isEqualTo("v1");
    deliverManifest(slow); // the load can finish now; its swap waits in the task's mailbox
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(op().servingVersion()).isEqualTo("v2");
    assertThat(served("after-swap")).isEqualTo("v2");
    assertThat(op().refusalCount()).isZero();
  }

  @Test
  void aNewerAnnouncementSupersedesALoadStillRunning() throws Exception {
    harness = open(4);
    Path hanging = hangingCopyOfV2("superseded");
    harness.processElement2(pointerTo(hanging, 2), 1);
    ModelArtifact v3 = TestModels.write(root, "v3", ModelKind.SASREC, 40, 3);
    harness.processElement2(TestModels.pointer(v3, 3), 1);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(served("e1")).isEqualTo("v3");

    List<Thread> superseded = loaderThreads();
    deliverManifest(hanging); // the superseded load finishes too, and is dropped
    for (Thread t : superseded) t.join();
    harness.getTaskMailbox().drain().forEach(mail -> {
      try {
        mail.run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(served("e2")).isEqualTo("v3");
    assertThat(op().refusalCount()).isZero();
  }

  @Test
  void anOlderAnnouncementDoesNotSupersedeANewerOneStillLoading() throws Exception {
    harness = open(4);
    Path slow = hangingCopyOfV2("newer-still-loading");
    harness.processElement2(pointerTo(slow, 20), 1);
    harness.processElement2(TestModels.pointer(v1, 10), 1); // a replay of an older announcement
    assertThat(op().refusalCount()).isEqualTo(1);
    assertThat(op().loadsPending()).isTrue();
    deliverManifest(slow);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(served("e1")).isEqualTo("v2");
  }

  @Test
  void stuckLoaderThreadsAreCappedAndAnnouncementsBeyondTheCapAreRefused() throws Exception {
    harness = open(1);
    harness.setProcessingTime(0);
    Path hanging = hangingCopyOfV2("stuck");
    harness.processElement2(pointerTo(hanging, 2), 1);
    harness.setProcessingTime(TIMEOUT.toMillis()); // refused; its thread stays blocked on the FIFO
    assertThat(op().refusalCount()).isEqualTo(1);

    harness.processElement2(TestModels.pointer(v2, 3), 1);
    assertThat(op().loadsPending()).as("no thread left for it").isFalse();
    assertThat(op().refusalCount()).isEqualTo(2);
    assertThat(served("e1")).isEqualTo("v1");

    List<Thread> stuck = loaderThreads();
    Thread writer = release(hanging.resolve(ArtifactLayout.MANIFEST));
    for (Thread t : stuck) t.join();
    writer.join();
    harness.processElement2(TestModels.pointer(v2, 4), 1);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(served("e2")).isEqualTo("v2");
  }

  @Test
  void anArtifactLargerThanTheCapIsRefusedInTheBackground() throws Exception {
    long size;
    try (var files = Files.walk(v1.dir())) {
      size = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    ModelArtifact big = TestModels.write(root, "big", ModelKind.SASREC, 400, 4);
    harness = open(new ModelLimits(ArtifactRoots.of(List.of(root)), 4, size), 4, null); // v1 just fits
    harness.processElement2(TestModels.pointer(big, 2), 1);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(op().refusalCount()).isEqualTo(1);
    assertThat(served("e1")).isEqualTo("v1");
  }

  @Test
  void aLoadPendingAtACheckpointIsStartedAgainAfterARestore() throws Exception {
    harness = open(4);
    Path slow = hangingCopyOfV2("pending-at-checkpoint");
    harness.processElement2(pointerTo(slow, 2), 1);
    assertThat(op().loadsPending()).isTrue();
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    List<Thread> before = loaderThreads();
    harness.close(); // stops the load; its thread is blocked on the FIFO until released
    harness = null;
    Thread writer = release(slow.resolve(ArtifactLayout.MANIFEST));
    for (Thread t : before) t.join();
    writer.join();

    harness = open(new ModelLimits(ArtifactRoots.of(List.of(root)), 4, Long.MAX_VALUE), 4, snapshot);
    assertThat(op().loadsPending()).as("the announcement is loading again").isTrue();
    assertThat(served("restored")).isEqualTo("v1");
    deliverManifest(slow);
    ScoringOperatorTest.awaitLoads(harness);
    assertThat(served("swapped")).isEqualTo("v2");
  }
}
