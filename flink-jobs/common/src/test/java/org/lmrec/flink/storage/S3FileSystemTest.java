package org.lmrec.flink.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Flink's FileSystem on s3:// through the flink-s3-fs-hadoop plugin against a real S3 API server. */
class S3FileSystemTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @TempDir java.nio.file.Path tmp;

  @Test
  void writesListsAndReadsThroughThePlugin() throws Exception {
    Path file = new Path(S3.uri("fs-test/a/hello.txt"));
    FileSystem fs = FlinkFileSystems.of(file);
    assertThat(fs.getClass().getName()).as("loaded from the plugin, not the classpath").contains("PluginFileSystemFactory");
    try (OutputStream out = fs.create(file, WriteMode.NO_OVERWRITE)) {
      out.write("hello s3".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(S3.keys("fs-test/")).containsExactly("fs-test/a/hello.txt");
    assertThat(new String(S3.read("fs-test/a/hello.txt"), StandardCharsets.UTF_8)).isEqualTo("hello s3");
    assertThat(fs.exists(file)).isTrue();
    assertThat(fs.getFileStatus(file).getLen()).isEqualTo(8);
  }

  @Test
  void uploadsListsAndDownloadsADirectoryTreeUnderTheSizeCap() throws Exception {
    java.nio.file.Path local = tmp.resolve("tree");
    Files.createDirectories(local.resolve("sub"));
    Files.writeString(local.resolve("manifest.json"), "{}");
    Files.writeString(local.resolve("sub/data.bin"), "0123456789");
    Path remote = new Path(S3.uri("trees/t1"));
    StorageFiles.upload(local, remote, "manifest.json");
    assertThat(S3.keys("trees/t1/")).containsExactly("trees/t1/manifest.json", "trees/t1/sub/data.bin");

    List<StorageFiles.Entry> listed = StorageFiles.list(remote, 1000);
    assertThat(listed).extracting(StorageFiles.Entry::relative).containsExactly("manifest.json", "sub/data.bin");
    assertThat(listed).extracting(StorageFiles.Entry::size).containsExactly(2L, 10L);
    StorageFiles.download(listed, tmp.resolve("copy"));
    assertThat(Files.readString(tmp.resolve("copy/sub/data.bin"))).isEqualTo("0123456789");

    assertThatThrownBy(() -> StorageFiles.list(remote, 11)).isInstanceOf(StorageFiles.TooLargeException.class).hasMessageContaining("more than 11 bytes");
    assertThatThrownBy(() -> StorageFiles.list(remote, 1000, 1)).isInstanceOf(StorageFiles.TooLargeException.class).hasMessageContaining("more than 1 files");
    assertThat(StorageFiles.list(new Path(S3.uri("trees/none")), 10)).isEmpty();
  }

  @Test
  void withoutThePluginS3IsRefusedWithWhatToDo() throws Exception {
    try {
      FileSystem.initialize(new Configuration(), null);
      assertThatThrownBy(() -> FlinkFileSystems.of(S3.uri("x")))
          .isInstanceOf(IOException.class).hasMessageContaining("S3 plugin is not loaded").hasMessageContaining("flink-s3-fs-hadoop");
    } finally {
      FlinkFileSystems.initialize(S3.flinkConfig());
    }
  }
}
