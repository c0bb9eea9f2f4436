package org.lmrec.stream.ingest;

import java.io.Serializable;
import java.time.Duration;
import org.lmrec.schema.InteractionEvent;

/**
 * The semantic checks a decoded event must pass before it may enter user state. Each failure is a
 * sentence that ends up as a dead letter's reason.
 */
public final class InteractionValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxIdLength;
  private final long maxFutureSkewMillis;

  public InteractionValidator(int maxIdLength, Duration maxFutureSkew) {
    if (maxIdLength <= 0) throw new IllegalArgumentException("maxIdLength must be positive");
    this.maxIdLength = maxIdLength;
    this.maxFutureSkewMillis = maxFutureSkew.toMillis();
  }

  /** @return null when valid, else why not */
  public String problem(InteractionEvent e, long nowMillis) {
    String p = idProblem("eventId", e.getEventId());
    if (p == null) p = idProblem("userId", e.getUserId());
    if (p == null) p = idProblem("itemId", e.getItemId());
    if (p != null) return p;
    long t = e.getEventTime().toEpochMilli();
    if (t < 0) return "eventTime " + e.getEventTime() + " is before the Unix epoch";
    if (t > nowMillis + maxFutureSkewMillis) {
      return "eventTime " + e.getEventTime() + " is " + Duration.ofMillis(t - nowMillis)
          + " ahead of the job's clock (more than the allowed " + Duration.ofMillis(maxFutureSkewMillis) + ")";
    }
    return null;
  }

  private String idProblem(String field, String id) {
    if (id == null) return field + " is missing";
    if (id.isEmpty()) return field + " is empty";
    if (id.length() > maxIdLength) return field + " has " + id.length() + " characters (limit " + maxIdLength + ")";
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || LogSafe.needsEscape(String.valueOf(c))) {
        return field + " '" + LogSafe.text(id, 64) + "' contains whitespace, a control character or a bidirectional mark at position " + i;
      }
    }
    return null;
  }
}
