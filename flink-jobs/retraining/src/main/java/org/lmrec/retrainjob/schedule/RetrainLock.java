package org.lmrec.retrainjob.schedule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-retraining-at-a-time lock, shared by every process that may retrain on the same work
 * directory: the long-running scheduler, a manual {@code lmrec-retrain run} and a CronJob pod.
 * Two runs at once would train on the same work directory and race to publish, so each run holds
 * this lock for its whole duration.
 *
 * <p>Across processes it is an OS file lock ({@link FileChannel#tryLock()}) on a file that is
 * never deleted: the OS releases it when the holder closes it or dies, so a crashed run leaves no
 * stale lock. Within one JVM a set of held files excludes a second holder <em>before</em> any
 * channel is opened: on Linux, closing any descriptor of a file drops all of the process's
 * {@code fcntl} locks on it, so a failed second attempt that opened and closed the file (or read
 * it) would silently unlock the first holder for other processes. For the same reason
 * {@link #describeHolder} does not read the file while this JVM holds it. The file's content
 * (pid, start time, host) is only for people asking "who holds it?".
 *
 * <p>On a network file system the exclusion is only as good as that file system's lock support
 * (NFSv4 and CephFS support {@code fcntl} locks; check a ReadWriteMany volume before relying on
 * it across nodes).
 */
public final class RetrainLock implements AutoCloseable {
  /** The lock file's usual name, in the retraining work directory. */
  public static final String FILE_NAME = ".retrain.lock";

  /** Files (real directory + name) locked by this JVM. */
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private RetrainLock(Path file, Path key, FileChannel channel, FileLock lock) {
    this.file = file;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file {@value #FILE_NAME} in {@code dir}. */
  public static Path fileIn(Path dir) {
    return dir.resolve(FILE_NAME);
  }

  /**
   * Takes the lock if nobody holds it, without waiting. Creates the file (and its directory) if
   * missing and, once locked, writes the holder's description into it.
   *
   * @return the held lock, or empty when another process or another holder in this JVM has it
   * @throws IOException when the file cannot be created, opened or written
   */
  public static Optional<RetrainLock> tryAcquire(Path file) throws IOException {
    Path key = key(file);
    if (!HELD_IN_THIS_JVM.add(key)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close(); // safe: nothing in this JVM holds a lock on this file
        HELD_IN_THIS_JVM.remove(key);
        return Optional.empty();
      }
      String holder = "pid=" + ProcessHandle.current().pid() + " started=" + Instant.now() + " host=" + hostName() + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return Optional.of(new RetrainLock(file, key, channel, lock));
    } catch (IOException | RuntimeException | Error e) {
      try {
        if (channel != null) {
          channel.close(); // releases the lock if it was taken
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      } finally {
        HELD_IN_THIS_JVM.remove(key);
      }
      throw e;
    }
  }

  /** The identity of a lock file in this JVM: its directory's real path (symlinks resolved) and its name. */
  private static Path key(Path file) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    return dir.toRealPath().resolve(absolute.getFileName());
  }

  /**
   * Who holds the lock, for log lines when it is busy: the lock file's "pid=... started=...
   * host=..." line (the last holder's if nobody holds it now), or "this process" when a holder
   * in this JVM has it (the file is then not opened, see the class comment).
   */
  public static String describeHolder(Path file) {
    Path key;
    try {
      key = key(file);
    } catch (IOException e) {
      return "unknown holder (" + e + ")";
    }
    // claim the file while reading it, so that no holder in this JVM appears meanwhile
    if (!HELD_IN_THIS_JVM.add(key)) {
      return "this process (pid=" + ProcessHandle.current().pid() + ")";
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "unknown holder" : text;
    } catch (IOException e) {
      return "unknown holder (" + e + ")";
    } finally {
      HELD_IN_THIS_JVM.remove(key);
    }
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "unknown" : host;
  }

  public Path file() {
    return file;
  }

  /** Releases the lock. The file stays (deleting it would let two processes lock two files). */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      try {
        channel.close();
      } finally {
        HELD_IN_THIS_JVM.remove(key);
      }
    }
  }
}
