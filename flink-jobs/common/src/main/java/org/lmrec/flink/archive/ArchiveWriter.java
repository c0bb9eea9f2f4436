package org.lmrec.flink.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.lmrec.data.Dataset;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * Writes a dataset in the interaction archive's layout ({@code date=YYYY-MM-DD/interactions-*.avro},
 * the streaming job's own format), so a dataset file can be replayed or retrained on exactly as an
 * archive would. Event ids are {@code <user>-<position>}, unique. A dataset without timestamps gets
 * synthetic ones: each user's events {@code spacing} apart, users starting one second apart from
 * {@code syntheticStart}.
 */
public final class ArchiveWriter {
  private ArchiveWriter() {}

  /** Writes {@code data} under {@code archiveDir} in {@code parts} files per day; returns the files written, sorted. */
  /** When event {@code position} of user {@code user} (of {@code length} events) happened. */
  @FunctionalInterface
  public interface EventTimes {
    Instant at(int user, int position, int length);
  }

  public static List<Path> write(Dataset data, Path archiveDir, int parts, Instant syntheticStart, Duration spacing) throws IOException {
    return write(data, archiveDir, parts, (u, i, length) -> {
      long[] seconds = data.timestamps(u);
      return seconds != null ? Instant.ofEpochSecond(seconds[i]) : syntheticStart.plusSeconds(u).plus(spacing.multipliedBy(i));
    });
  }

  /** Writes {@code data} with the event times {@code times} gives, whatever the dataset's own. */
  public static List<Path> write(Dataset data, Path archiveDir, int parts, EventTimes times) throws IOException {
    if (parts < 1) throw new IllegalArgumentException("parts must be >= 1, got " + parts);
    Map<String, DataFileWriter<InteractionEvent>> writers = new TreeMap<>();
    try {
      for (int u = 0; u < data.numUsers(); u++) {
        int[] seq = data.sequence(u);
        for (int i = 0; i < seq.length; i++) {
          Instant t = times.at(u, i, seq.length);
          InteractionEvent e = InteractionEvent.newBuilder().setEventId(data.userId(u) + "-" + i).setUserId(data.userId(u))
              .setItemId(data.itemId(seq[i])).setEventType(EventType.CLICK).setEventTime(t).build();
          String file = EventDateBucketAssigner.bucketOf(t) + "/interactions-" + data.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + (u % parts) + ".avro";
          DataFileWriter<InteractionEvent> w = writers.get(file);
          if (w == null) {
            Path target = archiveDir.resolve(file);
            Files.createDirectories(target.getParent());
            w = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class)).create(InteractionEvent.getClassSchema(), target.toFile());
            writers.put(file, w);
          }
          w.append(e);
        }
      }
    } finally {
      for (DataFileWriter<InteractionEvent> w : writers.values()) w.close();
    }
    List<Path> files = new ArrayList<>();
    for (String f : writers.keySet()) files.add(archiveDir.resolve(f));
    return files;
  }
}
