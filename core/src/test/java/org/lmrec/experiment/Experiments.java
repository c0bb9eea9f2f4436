package org.lmrec.experiment;

import java.time.Instant;
import java.util.List;

/** Experiment definitions for tests. */
final class Experiments {
  static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  static final Instant STOP = Instant.parse("2026-12-08T00:00:00Z");
  static final long DAY = 86_400_000L;

  private Experiments() {}

  /** control (line main) vs treatment (line candidate-b), 50/50, everyone, START to STOP. */
  static Experiment fiftyFifty(String id) {
    return new Experiment(id, 1, id + "-salt",
        List.of(new Arm("control", 50, ModelRef.line("main")), new Arm("treatment", 50, ModelRef.line("candidate-b"))),
        START, STOP, PopulationFilter.everyone(), "hit");
  }

  static Experiment withArms(Experiment e, List<Arm> arms) {
    return new Experiment(e.id(), e.version(), e.salt(), arms, e.start(), e.stop(), e.population(), e.metric());
  }

  static Experiment withPopulation(Experiment e, PopulationFilter p) {
    return new Experiment(e.id(), e.version(), e.salt(), e.arms(), e.start(), e.stop(), p, e.metric());
  }

  static Experiment withSalt(Experiment e, String salt) {
    return new Experiment(e.id(), e.version(), salt, e.arms(), e.start(), e.stop(), e.population(), e.metric());
  }

  static Experiment withStart(Experiment e, Instant start) {
    return new Experiment(e.id(), e.version(), e.salt(), e.arms(), start, e.stop(), e.population(), e.metric());
  }

  static Experiment withMetric(Experiment e, String metric) {
    return new Experiment(e.id(), e.version(), e.salt(), e.arms(), e.start(), e.stop(), e.population(), metric);
  }
}
