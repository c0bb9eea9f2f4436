package org.lmrec.bench.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentOutcome;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;

/** The record schemas of every topic today, and the frozen older versions (the schema history). */
final class KnownSchemas {
  /**
   * Where the frozen history schemas live, relative to the repository root (benchmarks/run.sh runs
   * from there): the test resources today, the released-schemas folder of the main jar once the
   * single-object encoding is merged (then {@code ReleasedSchemas} is the better source).
   */
  static final List<Path> HISTORY = List.of(Path.of("schemas/src/test/resources/history"),
      Path.of("schemas/src/main/resources/org/lmrec/schema/history"));

  static final List<Schema> CURRENT = List.of(InteractionEvent.SCHEMA$, ModelUpdate.SCHEMA$, Recommendation.SCHEMA$,
      DeadLetter.SCHEMA$, ExperimentResult.SCHEMA$, ExperimentOutcome.SCHEMA$);

  private KnownSchemas() {}

  /** Every history schema ({@code *-v1.avsc}, ...); none when the folder is absent. */
  static List<Schema> history() {
    List<Schema> out = new ArrayList<>();
    for (Path folder : HISTORY) {
      if (!Files.isDirectory(folder)) continue;
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) out.add(new Schema.Parser().parse(f.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The current record schemas other than {@code own}: what a producer of another topic would write. */
  static List<Schema> foreignTo(Schema own) {
    List<Schema> out = new ArrayList<>();
    for (Schema s : CURRENT) if (!s.getFullName().equals(own.getFullName())) out.add(s);
    return out;
  }
}
