package org.lmrec.stream.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.lmrec.experiment.Arm;
import org.lmrec.experiment.Experiment;
import org.lmrec.experiment.ExperimentJson;
import org.lmrec.experiment.ModelRef;
import org.lmrec.experiment.PopulationFilter;

/**
 * The demo's A/B test: every user, 50/50, the served model (the default line, arm "control")
 * against a second model announced on its own line. A new id per run, so each run's statistics and
 * report start from zero and its looks can be told apart on the results topic.
 */
final class DemoExperiment {
  private DemoExperiment() {}

  /** The model line (and arm name) the treatment is announced on. */
  static String treatmentLine(String modelKind) {
    return modelKind.toLowerCase(java.util.Locale.ROOT);
  }

  static Experiment of(String treatmentKind, Instant now) {
    String id = "demo-ab-" + now.getEpochSecond();
    String treatment = treatmentLine(treatmentKind);
    if (treatment.equals("control")) throw new IllegalArgumentException("the treatment's model kind may not be called 'control'");
    // Started a minute ago so the first events already count; stopped well after any demo run.
    return new Experiment(id, 1, id, List.of(new Arm("control", 50, ModelRef.line("main")), new Arm(treatment, 50, ModelRef.line(treatment))),
        now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), PopulationFilter.everyone(), Experiment.DEFAULT_METRIC);
  }

  /** Writes the definition where the job reads it at start ({@code lmrec.experiments.file}). */
  static Path write(Experiment e, Path dir) throws IOException {
    Path file = Files.createDirectories(dir).resolve(e.id() + "-definition.json");
    Files.writeString(file, ExperimentJson.write(e));
    return file;
  }
}
