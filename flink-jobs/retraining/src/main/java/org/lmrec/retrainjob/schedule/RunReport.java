package org.lmrec.retrainjob.schedule;

import java.util.Objects;

/**
 * What one retraining run ended with, as far as scheduling and monitoring care: the scheduler
 * counts outcomes per kind and logs the rest. A run that returns a report (any outcome) has
 * finished its work and counts as successful; a run that failed throws instead.
 *
 * @param outcome what happened, e.g. {@link #PUBLISHED}, {@link #REFUSED} (the gate kept the
 *     current model), {@link #SKIPPED} (nothing to do); a lower-case word, used as a metric label
 * @param version the published (or refused) model version, or null when there is none
 * @param message a human-readable line for the log, never null
 */
public record RunReport(String outcome, String version, String message) {
  public static final String PUBLISHED = "published";
  public static final String REFUSED = "refused";
  public static final String SKIPPED = "skipped";

  public RunReport {
    Objects.requireNonNull(outcome, "outcome");
    if (!outcome.matches("[a-z][a-z0-9_-]*")) {
      throw new IllegalArgumentException("outcome must be a lower-case word (a metric label), got: " + outcome);
    }
    message = message == null ? "" : message;
  }

  public static RunReport published(String version, String message) {
    return new RunReport(PUBLISHED, Objects.requireNonNull(version, "version"), message);
  }

  public static RunReport refused(String version, String message) {
    return new RunReport(REFUSED, version, message);
  }

  public static RunReport skipped(String message) {
    return new RunReport(SKIPPED, null, message);
  }
}
