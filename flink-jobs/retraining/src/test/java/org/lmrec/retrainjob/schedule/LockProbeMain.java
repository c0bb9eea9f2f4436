package org.lmrec.retrainjob.schedule;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-process side of {@link RetrainLockTest}: {@code hold FILE} takes the lock, prints
 * "locked" (or "busy") and keeps it until its stdin closes; {@code try FILE} prints "locked" or
 * "busy" and exits.
 */
public final class LockProbeMain {
  private LockProbeMain() {}

  public static void main(String[] args) throws Exception {
    Optional<RetrainLock> lock = RetrainLock.tryAcquire(Path.of(args[1]));
    System.out.println(lock.isPresent() ? "locked" : "busy");
    System.out.flush();
    if (args[0].equals("hold")) {
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
    if (lock.isPresent()) {
      lock.get().close();
    }
  }
}
