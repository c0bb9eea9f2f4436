package org.lmrec.stream.ingest;

import java.io.Serializable;
import java.time.Duration;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.flink.deadletter.Labels;

/**
 * The semantic checks a decoded event must pass before it may enter user state. Each failure is a
 * sentence that ends up as a dead letter's reason.
 */
public final class InteractionValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int MAX_CONTEXT_ENTRIES = 64;
  static final int MAX_CONTEXT_VALUE_CHARS = 1024;

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
    if (p == null) p = contextProblem(e.getContext());
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
    return Labels.problem(field, id, maxIdLength);
  }

  /** Context goes into the archive that retraining learns from: bounded, and text that prints as itself. */
  private String contextProblem(java.util.Map<String, String> context) {
    if (context == null) return null;
    if (context.size() > MAX_CONTEXT_ENTRIES) return "context has " + context.size() + " entries (limit " + MAX_CONTEXT_ENTRIES + ")";
    for (java.util.Map.Entry<String, String> kv : context.entrySet()) {
      String p = Labels.problem("context key", kv.getKey(), maxIdLength);
      if (p == null) p = Labels.textProblem("context['" + kv.getKey() + "']", kv.getValue(), MAX_CONTEXT_VALUE_CHARS);
      if (p != null) return p;
    }
    return null;
  }
}
