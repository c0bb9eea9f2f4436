package org.lmrec.retrainjob.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.flink.storage.FlinkFileSystems;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.flink.storage.StorageFiles;

/** The scheduler's new-interaction counter on an s3:// archive: finished files only, counted from block headers, seen files remembered, removed ones forgotten. */
class S3NewInteractionCounterTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("lake");
  @TempDir Path tmp;

  @Test
  void countsNewFinishedFilesOnS3() throws Exception {
    Path local = tmp.resolve("archive");
    ArchiveFixture.write(local, "date=2024-03-01", "interactions-a-0.avro", 3);
    ArchiveFixture.write(local, "date=2024-03-02", "interactions-b-0.avro", 5);
    ArchiveFixture.write(local, "date=2024-03-02", ".interactions-b-1.avro.inprogress", 7);
    ArchiveFixture.write(local, "scratch", "interactions-c-0.avro", 11);
    StorageFiles.upload(local, new org.apache.flink.core.fs.Path(S3.uri("archive")), null);

    NewInteractionCounter counter = new NewInteractionCounter(S3.uri("archive"), tmp.resolve("state"));
    NewInteractionCounter.Snapshot first = counter.snapshot();
    assertThat(first.files()).containsOnlyKeys("date=2024-03-01/interactions-a-0.avro", "date=2024-03-02/interactions-b-0.avro");
    assertThat(first.newRecords()).isEqualTo(8);
    counter.markSeen(first);
    assertThat(counter.countNew()).isZero();

    ArchiveFixture.write(local, "date=2024-03-03", "interactions-d-0.avro", 13);
    StorageFiles.upload(local.resolve("date=2024-03-03"), new org.apache.flink.core.fs.Path(S3.uri("archive/date=2024-03-03")), null);
    org.apache.flink.core.fs.Path gone = new org.apache.flink.core.fs.Path(S3.uri("archive/date=2024-03-01/interactions-a-0.avro"));
    FileSystem fs = FlinkFileSystems.of(gone);
    fs.delete(gone, false);
    NewInteractionCounter.Snapshot second = counter.snapshot();
    assertThat(second.newFiles()).isEqualTo(1);
    assertThat(second.newRecords()).isEqualTo(13);
    counter.markSeen(second);
    assertThat(java.nio.file.Files.readString(counter.stateFile())).doesNotContain("interactions-a-0.avro").contains("interactions-d-0.avro");
  }
}
