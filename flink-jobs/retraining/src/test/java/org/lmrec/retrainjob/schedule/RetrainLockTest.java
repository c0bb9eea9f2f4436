package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainLockTest {
  @TempDir Path tmp;

  @Test
  void excludesASecondHolderAndIsReleasedOnClose() throws IOException {
    Path file = RetrainLock.fileIn(tmp.resolve("work"));
    Optional<RetrainLock> first = RetrainLock.tryAcquire(file);
    assertThat(first).isPresent();
    assertThat(Files.readString(file)).startsWith("pid=" + ProcessHandle.current().pid() + " started=");
    assertThat(RetrainLock.describeHolder(file)).contains("pid=" + ProcessHandle.current().pid());

    assertThat(RetrainLock.tryAcquire(file)).isEmpty();

    first.get().close();
    assertThat(Files.exists(file)).isTrue(); // the file stays, only the lock goes
    try (RetrainLock again = RetrainLock.tryAcquire(file).orElseThrow()) {
      assertThat(again.file()).isEqualTo(file);
      assertThat(RetrainLock.tryAcquire(file)).isEmpty();
    }
  }

  @Test
  void excludesAnotherProcessBothWays() throws Exception {
    Path file = tmp.resolve(RetrainLock.FILE_NAME);

    Process holder = holdInAChild(file);
    try {
      assertThat(RetrainLock.tryAcquire(file)).isEmpty();
      assertThat(RetrainLock.describeHolder(file)).contains("pid=" + holder.pid());
      holder.getOutputStream().close(); // the child releases and exits
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.destroyForcibly();
    }

    try (RetrainLock mine = RetrainLock.tryAcquire(file).orElseThrow()) {
      assertThat(run(probe("try", file))).isEqualTo("busy");
    }
    assertThat(run(probe("try", file))).isEqualTo("locked");
  }

  @Test
  void aFailedSecondAttemptInTheSameJvmKeepsOtherProcessesOut() throws Exception {
    // on Linux, closing any descriptor of a file drops the process's fcntl locks on it
    Path file = tmp.resolve(RetrainLock.FILE_NAME);
    try (RetrainLock held = RetrainLock.tryAcquire(file).orElseThrow()) {
      assertThat(RetrainLock.tryAcquire(file)).isEmpty();
      assertThat(RetrainLock.tryAcquire(tmp.resolve("x/../" + RetrainLock.FILE_NAME))).isEmpty();
      assertThat(RetrainLock.describeHolder(file)).startsWith("this process");
      assertThat(run(probe("try", file))).isEqualTo("busy");
    }
  }

  @Test
  void aKilledHolderLeavesNoStaleLock() throws Exception {
    Path file = tmp.resolve(RetrainLock.FILE_NAME);
    Process holder = holdInAChild(file);
    holder.destroyForcibly();
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    try (RetrainLock mine = RetrainLock.tryAcquire(file).orElseThrow()) {
      assertThat(mine.file()).isEqualTo(file);
    }
  }

  private static Process probe(String mode, Path file) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(List.of(java.toString(), "-Xmx32m", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", classPath, LockProbeMain.class.getName(), mode, file.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** A child process that holds the lock until its stdin is closed (or it is killed). */
  private static Process holdInAChild(Path file) throws IOException {
    Process holder = probe("hold", file);
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"locked".equals(first)) {
      holder.destroyForcibly();
      throw new AssertionError("the child did not get the lock: " + first);
    }
    return holder;
  }

  private static String run(Process p) throws Exception {
    try {
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return line;
    } finally {
      p.destroyForcibly();
    }
  }
}
