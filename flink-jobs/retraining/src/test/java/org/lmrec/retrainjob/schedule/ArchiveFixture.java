package org.lmrec.retrainjob.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/** Writes real archive files in the streaming job's layout, and waits for conditions. */
final class ArchiveFixture {
  private ArchiveFixture() {}

  /** Writes {@code records} events to {@code <base>/<date dir>/<name>} as an Avro container file. */
  static Path write(Path base, String dateDir, String name, int records) {
    return write(base, dateDir, name, records, CodecFactory.nullCodec(), 0);
  }

  /**
   * Same, with a codec and a forced block boundary every {@code recordsPerBlock} records (0 =
   * Avro's default). Like Flink's FileSink, the file is written under a hidden name and then
   * renamed, so a concurrent poll never sees it half written.
   */
  static Path write(Path base, String dateDir, String name, int records, CodecFactory codec, int recordsPerBlock) {
    Path file = base.resolve(dateDir).resolve(name);
    Path inProgress = file.resolveSibling("." + name + ".inprogress.fixture");
    try {
      Files.createDirectories(file.getParent());
      try (DataFileWriter<InteractionEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class))) {
        writer.setCodec(codec);
        writer.create(InteractionEvent.getClassSchema(), inProgress.toFile());
        for (int i = 0; i < records; i++) {
          writer.append(event(name + "-" + i));
          if (recordsPerBlock > 0 && (i + 1) % recordsPerBlock == 0) {
            writer.sync();
          }
        }
      }
      Files.move(inProgress, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static InteractionEvent event(String id) {
    return InteractionEvent.newBuilder()
        .setEventId(id).setUserId("u-" + id).setItemId("i-" + id).setEventType(EventType.CLICK)
        .setEventTime(Instant.parse("2024-03-01T12:00:00Z")).build();
  }

  /** Polls {@code condition} every 10 ms; fails after {@code timeout}. */
  static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, condition, Duration.ofSeconds(10));
  }
}
