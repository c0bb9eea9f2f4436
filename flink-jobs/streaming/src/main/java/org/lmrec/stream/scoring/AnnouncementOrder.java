package org.lmrec.stream.scoring;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per model line, the newest announcement time the scorer has accepted, so that a pointer older than
 * the one serving in its line is refused. Signed announcements can be replayed by anyone who can
 * write the topic; without this, an old signed pointer would bring back an old model. A rollback
 * (signed, {@code lmrec-retrain rollback}) names an older version but carries the time of the
 * rollback, so it passes, and a replay of it after a later version does not. Rebuilt from the
 * pointers in the scorer's state on restore, so the order survives a restart.
 */
final class AnnouncementOrder {
  private final Map<String, ModelPointer> newest = new HashMap<>();

  /** Why {@code p} is refused ({@code "ModelUpdate refused: ..."}), or empty when it is not older than its line's newest. */
  Optional<String> refusal(ModelPointer p) {
    ModelPointer current = newest.get(lineOf(p));
    if (current == null || p.announcedAt >= current.announcedAt) return Optional.empty();
    return Optional.of("ModelUpdate refused: " + p.version + (p.line == null ? "" : " of line " + p.line) + " was announced at "
        + Instant.ofEpochMilli(p.announcedAt) + ", before " + current.version + " (" + Instant.ofEpochMilli(current.announcedAt)
        + "), which its line already serves; only a signed rollback (lmrec-retrain rollback) returns a line to an older version");
  }

  /** Records {@code p} as accepted in its line (the newest wins). */
  void accepted(ModelPointer p) {
    newest.merge(lineOf(p), p, (old, now) -> now.announcedAt >= old.announcedAt ? now : old);
  }

  private static String lineOf(ModelPointer p) {
    return p.line == null || p.line.equals(ServedModels.DEFAULT_LINE) ? "" : p.line;
  }
}
