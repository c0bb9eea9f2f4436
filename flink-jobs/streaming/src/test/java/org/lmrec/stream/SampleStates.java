package org.lmrec.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.PendingExposure;
import org.lmrec.schema.UserSequenceState;

/** Realistic per-user states for the state serializers' tests and {@code benchmarks/run.sh state}. */
public final class SampleStates {
  private static final long T0 = 1_796_000_000_000L;

  private SampleStates() {}

  /**
   * A user in an experiment with {@code pending} open exposures of {@code shown} items each and
   * {@code steps} recent interactions; consecutive top lists overlap, as one user's do.
   */
  public static ExposureOutcomeState userInExperiment(int pending, int shown, int steps) {
    List<PendingExposure> open = new ArrayList<>();
    for (int p = 0; p < pending; p++) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < shown; i++) items.add("item-" + (1000 + p + i));
      open.add(new PendingExposure("homepage-ab", p % 2 == 0 ? "control" : "candidate", "sasrec-3000-ab-control-1796595691954",
          eventId(Math.max(0, steps - pending + p)), T0 + 1000L * p, items, 12L + p, p == 0));
    }
    List<String> eventIds = new ArrayList<>();
    List<String> itemIds = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      eventIds.add(eventId(s));
      itemIds.add("item-" + (1003 + s));
      times.add(T0 + 1000L * s + (s % 3));
    }
    return new ExposureOutcomeState(open, eventIds, itemIds, times, new ArrayList<>(List.of("homepage-ab")));
  }

  /** A full window of {@code n} entries a second apart, with random-looking (seeded) event-id hashes. */
  public static UserSequenceState fullWindow(int n) {
    Random random = new Random(7);
    List<String> items = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<Long> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add("item-" + (1000 + 37 * i % 3000));
      times.add(T0 + 1000L * i);
      hashes.add(random.nextLong());
    }
    return new UserSequenceState(items, times, hashes, 120L);
  }

  private static String eventId(int i) {
    return String.format("4f1c2a9e-0b7d-4c8e-9a1f-%012d", i);
  }
}
