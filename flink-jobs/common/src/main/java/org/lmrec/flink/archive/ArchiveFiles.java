package org.lmrec.flink.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The finished files of the interaction archive that a window covers, listed by the reader rather
 * than by a source's enumerator: the files counted are then exactly the files read, even while the
 * streaming job keeps finishing new ones in today's directory. Used by the retraining's data
 * preparation and by the replay job.
 *
 * @param files finished part files, by day then by name
 * @param presentDays the window's {@code date=} directories that exist
 * @param windowDays how many {@code date=} directories the window spans
 */
public record ArchiveFiles(List<Path> files, List<String> presentDays, int windowDays) {
  /** Lists the finished archive files of {@code window} under {@code archiveBaseUri} (any Flink file system URI). */
  public static ArchiveFiles list(String archiveBaseUri, ArchiveWindow window) throws IOException {
    Path base = new Path(archiveBaseUri);
    List<Path> files = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (String bucket : window.bucketNames()) {
      if (listDay(new Path(base, bucket), files)) present.add(bucket);
    }
    return new ArchiveFiles(List.copyOf(files), List.copyOf(present), window.bucketNames().size());
  }

  /** Finished part files are {@code interactions-*.avro}; in-progress ones start with a dot. */
  public static boolean isFinishedArchiveFile(String name) {
    return name.startsWith("interactions-") && name.endsWith(".avro");
  }

  /** Adds the finished archive files of {@code dir} (sorted); false when the directory does not exist. */
  private static boolean listDay(Path dir, List<Path> into) throws IOException {
    FileSystem fs = dir.getFileSystem();
    if (!fs.exists(dir)) return false;
    FileStatus[] statuses = fs.listStatus(dir);
    List<Path> found = new ArrayList<>();
    if (statuses != null) {
      for (FileStatus s : statuses) {
        if (!s.isDir() && isFinishedArchiveFile(s.getPath().getName())) found.add(s.getPath());
      }
    }
    found.sort(Comparator.comparing(Path::getName));
    into.addAll(found);
    return true;
  }
}
