package org.lmrec.schema;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The current version of every top-level record schema: the values carried on topics, and the
 * streaming job's keyed state ({@link UserSequenceState}, {@link ExposureOutcomeState},
 * {@link ExperimentTallyState}), whose savepoints must stay restorable.
 */
public final class Schemas {
  private static final List<Schema> CURRENT =
      List.of(
          InteractionEvent.getClassSchema(),
          Recommendation.getClassSchema(),
          ModelUpdate.getClassSchema(),
          DeadLetter.getClassSchema(),
          UserSequenceState.getClassSchema(),
          ExperimentOutcome.getClassSchema(),
          ExperimentResult.getClassSchema(),
          ExposureOutcomeState.getClassSchema(),
          ExperimentTallyState.getClassSchema(),
          UserSummaryState.getClassSchema(),
          UserSummaryUpdate.getClassSchema());

  private Schemas() {}

  /** Current top-level schemas, one per topic value type plus the keyed-state records (nested types such as ScoredItem are not listed). */
  public static List<Schema> current() {
    return CURRENT;
  }

  /** The current schema whose full name is {@code fullName}, e.g. {@code org.lmrec.schema.InteractionEvent}. */
  public static Optional<Schema> byFullName(String fullName) {
    return CURRENT.stream().filter(s -> s.getFullName().equals(fullName)).findFirst();
  }
}
