package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.streaming.runtime.tasks.StreamTaskActionExecutor;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.mailbox.MailboxExecutorImpl;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailboxImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lmrec.serving.BatchRecommender;

/** {@link BackgroundModelLoads} on Flink's own task mailbox, this test's thread as the task thread. */
@Timeout(60) // a load whose failure escaped would never post its mail: the test fails instead of waiting for ever
class BackgroundModelLoadsTest {
  private final TaskMailbox mailbox = new TaskMailboxImpl(Thread.currentThread());
  private final TestProcessingTimeService time = new TestProcessingTimeService();
  private final List<String> events = new ArrayList<>();
  private final Thread testThread = Thread.currentThread();

  private BackgroundModelLoads loads(BackgroundModelLoads.Loader loader) {
    BackgroundModelLoads.Listener listener = new BackgroundModelLoads.Listener() {
      @Override
      public void loaded(BackgroundModelLoads.Load load, BatchRecommender model) {
        assertThat(Thread.currentThread()).as("swaps happen on the task thread").isSameAs(testThread);
        events.add("loaded " + load.pointer.version);
      }

      @Override
      public void refused(BackgroundModelLoads.Load load, String reason) {
        assertThat(Thread.currentThread()).isSameAs(testThread);
        events.add("refused " + load.pointer.version + ": " + reason);
      }
    };
    return new BackgroundModelLoads(loader, listener, new MailboxExecutorImpl(mailbox, 0, StreamTaskActionExecutor.IMMEDIATE), time,
        new ModelLoading(Duration.ofMinutes(1), 2));
  }

  private void runMailsUntilIdle(BackgroundModelLoads loads) throws Exception {
    while (!loads.idle()) mailbox.take(TaskMailbox.MIN_PRIORITY).run();
  }

  private static ModelPointer pointer(String version) {
    return new ModelPointer(version, "file:///nowhere/" + version, "00", 1);
  }

  @Test
  void anErrorThrownWhileLoadingIsARefusalWithItsReason() throws Exception {
    BackgroundModelLoads loads = loads(p -> {
      throw new OutOfMemoryError("Java heap space (test)");
    });
    loads.start("line main", pointer("v1"));
    runMailsUntilIdle(loads);
    assertThat(events).singleElement().asString().startsWith("refused v1: ").contains("OutOfMemoryError: Java heap space (test)");
  }

  @Test
  void aFinishedLoadIsHandedToTheTaskThreadAndNothingSettlesAfterClose() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BackgroundModelLoads loads = loads(p -> {
      if (p.version.equals("v2")) release.await();
      return null;
    });
    loads.start("line main", pointer("v1"));
    runMailsUntilIdle(loads);
    assertThat(events).containsExactly("loaded v1");

    loads.start("line main", pointer("v2"));
    assertThat(loads.threads()).isEqualTo(1);
    loads.close();
    release.countDown();
    mailbox.take(TaskMailbox.MIN_PRIORITY).run(); // the load's mail arrives, and changes nothing
    assertThat(events).containsExactly("loaded v1");
    assertThat(loads.threads()).isZero();
  }
}
