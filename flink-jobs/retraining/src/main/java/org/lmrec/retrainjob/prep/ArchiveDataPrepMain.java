package org.lmrec.retrainjob.prep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.lmrec.flink.archive.ArchiveWindow;
import org.lmrec.retrain.UserHistory;
import org.lmrec.retrainjob.job.DurationConverter;
import org.lmrec.settings.Settings;
import org.lmrec.settings.Settings.Sets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The retraining's data preparation as a job of its own, for a Flink cluster
 * ({@code flink run -c org.lmrec.retrainjob.prep.ArchiveDataPrepMain lmrec-retrain-prep-job.jar ...}):
 * runs {@link ArchiveDataPrep} in BATCH mode on the cluster and writes the prepared histories, one
 * JSON object per user, to {@code --output} on the client. Training stays where the GPU or the
 * native libraries are (./lmrec-retrain); a cluster's task managers need neither.
 */
@Command(name = "lmrec-retrain-prep", mixinStandardHelpOptions = true,
    description = "Prepares the retraining histories from the interaction archive (a BATCH Flink job) and writes them as JSON lines.")
public final class ArchiveDataPrepMain implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--archive", required = true, description = "Base URI of the interaction archive (file://, s3://, any Flink file system).")
  String archive;

  @Option(names = "--output", required = true, description = "Where the histories go (a local file on the client, written whole or not at all; '-' = stdout).")
  String output;

  @Option(names = "--window", defaultValue = "30d", converter = DurationConverter.class,
      description = "Length of the event-time window ending at --end (default ${DEFAULT-VALUE}).")
  Duration window;

  @Option(names = "--end", description = "End of the window, exclusive, ISO-8601 (default: now).")
  Instant end;

  // The preparation's settings: null means PrepOptions' default, so the defaults live in one place.
  @Option(names = "--session-gap", converter = DurationConverter.class, description = "Pause that starts a new session (default: 30m).")
  @Sets(value = "sessionGap", in = PrepOptions.class)
  Duration sessionGap;

  @Option(names = "--collapse", negatable = true,
      description = "Count consecutive repeats of an item within a session once; --no-collapse keeps them (default: collapse).")
  @Sets(value = "collapseRepeats", in = PrepOptions.class)
  Boolean collapseRepeats;

  @Option(names = "--min-length", description = "Drop users with fewer items (default: " + PrepOptions.DEFAULT_MIN_LENGTH + ").")
  @Sets(value = "minLength", in = PrepOptions.class)
  Integer minLength;

  @Option(names = "--max-length", description = "Keep only the newest this many items per user; 0 = all (default: " + PrepOptions.DEFAULT_MAX_LENGTH + ").")
  @Sets(value = "maxLength", in = PrepOptions.class)
  Integer maxLength;

  @Option(names = "-D", mapFallbackValue = "", description = "A Flink setting for this job, e.g. -Dparallelism.default=2.")
  Map<String, String> flinkSettings = Map.of();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new ArchiveDataPrepMain()).execute(args);
  }

  PrepOptions prepOptions() {
    return Settings.apply(PrepOptions.defaults(), this);
  }

  @Override
  public Integer call() throws Exception {
    PrepOptions prep;
    ArchiveWindow w;
    try {
      prep = prepOptions();
      w = ArchiveWindow.lastDays(window, end != null ? end : Instant.now());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Configuration flink = new Configuration();
    flinkSettings.forEach(flink::setString);
    ArchiveDataPrep.Result result = new ArchiveDataPrep(prep, flink).run(archive, w);
    if ("-".equals(output)) {
      Writer out = new OutputStreamWriter(new PrintStream(System.out, false, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      writeLines(result, out);
      out.flush();
    } else {
      Path target = Path.of(output).toAbsolutePath();
      if (target.getParent() != null) Files.createDirectories(target.getParent());
      // Written beside and moved: a reader never sees half a file.
      Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        writeLines(result, out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    System.err.println("lmrec-retrain-prep: " + result.summary() + (("-".equals(output)) ? "" : " -> " + output));
    return 0;
  }

  /** One line per user: {"userId":..., "items":[...], "eventTimesMillis":[...]}, users sorted by id. */
  static void writeLines(ArchiveDataPrep.Result result, Writer out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    BufferedWriter w = out instanceof BufferedWriter b ? b : new BufferedWriter(out);
    for (UserHistory h : result.histories()) {
      ObjectNode line = json.createObjectNode();
      line.put("userId", h.userId());
      ArrayNode items = line.putArray("items");
      for (String item : h.items()) items.add(item);
      ArrayNode times = line.putArray("eventTimesMillis");
      for (long t : h.eventTimesMillis()) times.add(t);
      w.write(json.writeValueAsString(line));
      w.write('\n');
    }
    w.flush();
  }
}
