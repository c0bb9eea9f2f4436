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
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return field + " '" + printable(id) + "' contains whitespace or a control character at position " + i;
      }
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), 64); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.isWhitespace(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return s.length() > 64 ? b + "..." : b.toString();
  }
}
