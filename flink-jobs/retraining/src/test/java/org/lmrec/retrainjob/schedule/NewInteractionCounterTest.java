package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.retrainjob.schedule.ArchiveFixture.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.InteractionEvent;

class NewInteractionCounterTest {
  @TempDir Path tmp;

  Path base() {
    return tmp.resolve("archive");
  }

  NewInteractionCounter counter() {
    return new NewInteractionCounter(base(), tmp.resolve("state"));
  }

  @Test
  void countsFinishedFilesOnlyInTheArchiveLayout() throws IOException {
    write(base(), "date=2024-03-01", "interactions-a-0.avro", 3);
    write(base(), "date=2024-03-02", "interactions-b-0.avro", 5);
    // in progress (Flink's FileSink names), not in a date directory, not an interactions file: none counts
    write(base(), "date=2024-03-02", ".interactions-b-1.avro.inprogress.0f3c", 7);
    write(base(), "date=2024-03-02", ".interactions-b-2.avro", 11);
    write(base(), "scratch", "interactions-c-0.avro", 13);
    write(base(), "date=2024-03-02", "other-0.avro", 17);

    NewInteractionCounter.Snapshot snapshot = counter().snapshot();

    assertThat(snapshot.newRecords()).isEqualTo(8);
    assertThat(snapshot.newFiles()).isEqualTo(2);
    assertThat(snapshot.files()).containsOnlyKeys("date=2024-03-01/interactions-a-0.avro", "date=2024-03-02/interactions-b-0.avro");
    assertThat(counter().countNew()).isEqualTo(8);
  }

  @Test
  void filesFinishedAfterTheSnapshotStillCountAfterMarkingItSeen() throws IOException {
    write(base(), "date=2024-03-01", "interactions-a-0.avro", 3);
    Path inProgress = write(base(), "date=2024-03-01", ".interactions-a-1.avro.inprogress.1", 4);
    NewInteractionCounter counter = counter();
    NewInteractionCounter.Snapshot beforeRun = counter.snapshot();
    assertThat(beforeRun.newRecords()).isEqualTo(3);

    // while the run goes on: a new file is finished and the in-progress one gets its final name
    write(base(), "date=2024-03-02", "interactions-b-0.avro", 5);
    Files.move(inProgress, inProgress.resolveSibling("interactions-a-1.avro"));
    counter.markSeen(beforeRun);

    assertThat(counter.countNew()).isEqualTo(9);
    // the state is on disk: a fresh counter (another process, a restart) agrees
    assertThat(counter().countNew()).isEqualTo(9);
    NewInteractionCounter.Snapshot next = counter().snapshot();
    assertThat(next.newFiles()).isEqualTo(2);
    counter().markSeen(next);
    assertThat(counter.countNew()).isZero();
    assertThat(counter.snapshot().files()).hasSize(3);
  }

  @Test
  void nothingIsNewWithoutAnArchiveAndEverythingIsNewWithoutState() throws IOException {
    assertThat(counter().countNew()).isZero();
    write(base(), "date=2024-03-01", "interactions-a-0.avro", 2);
    assertThat(counter().countNew()).isEqualTo(2);
  }

  @Test
  void theStateIsReplacedAtomicallyAndForgetsFilesRemovedFromTheArchive() throws IOException {
    Path old = write(base(), "date=2024-01-01", "interactions-old-0.avro", 2);
    write(base(), "date=2024-03-01", "interactions-a-0.avro", 3);
    NewInteractionCounter counter = counter();
    counter.markSeen(counter.snapshot());
    assertThat(Files.readString(counter.stateFile())).contains("date=2024-01-01/interactions-old-0.avro\t2");

    Files.delete(old); // retention
    write(base(), "date=2024-03-02", "interactions-b-0.avro", 1);
    counter.markSeen(counter.snapshot());

    String state = Files.readString(counter.stateFile());
    assertThat(state).doesNotContain("interactions-old-0.avro")
        .contains("date=2024-03-01/interactions-a-0.avro\t3", "date=2024-03-02/interactions-b-0.avro\t1");
    try (Stream<Path> left = Files.list(counter.stateFile().getParent())) {
      assertThat(left).containsExactly(counter.stateFile()); // no temp file left behind
    }
  }

  @Test
  void blockHeadersGiveTheSameCountAsReadingEveryRecord() throws IOException {
    Path many = write(base(), "date=2024-03-01", "interactions-deflate-0.avro", 1000, CodecFactory.deflateCodec(6), 37);
    Path empty = write(base(), "date=2024-03-01", "interactions-empty-0.avro", 0);

    long blocks = 0;
    long iterated = 0;
    try (DataFileReader<InteractionEvent> reader = new DataFileReader<>(many.toFile(), new SpecificDatumReader<>(InteractionEvent.class))) {
      while (reader.hasNext()) {
        blocks++;
        long inBlock = reader.getBlockCount();
        for (long i = 0; i < inBlock; i++) {
          reader.next();
          iterated++;
        }
      }
    }
    assertThat(blocks).isGreaterThan(20);
    assertThat(NewInteractionCounter.countRecords(many)).isEqualTo(iterated).isEqualTo(1000);
    assertThat(NewInteractionCounter.countRecords(empty)).isZero();
  }

  @Test
  void aBrokenFinishedFileIsReportedByName() throws IOException {
    Path good = write(base(), "date=2024-03-01", "interactions-a-0.avro", 50, CodecFactory.nullCodec(), 10);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = base().resolve("date=2024-03-01/interactions-truncated-0.avro");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 30));
    assertThatThrownBy(() -> counter().snapshot()).isInstanceOf(IOException.class).hasMessageContaining("interactions-truncated-0.avro");

    Files.delete(truncated);
    Path garbage = base().resolve("date=2024-03-01/interactions-garbage-0.avro");
    Files.writeString(garbage, "not avro at all");
    assertThatThrownBy(() -> counter().snapshot()).isInstanceOf(IOException.class).hasMessageContaining("interactions-garbage-0.avro");
  }
}
