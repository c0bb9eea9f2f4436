package org.lmrec.flink.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Directory trees between a local disk and any Flink file system URI ({@code file://}, {@code s3://}):
 * what the model loader and the retraining's artifact store need on top of {@link FileSystem}. On
 * S3 a "directory" is a key prefix, so names are taken relative to the listed root.
 */
public final class StorageFiles {
  private StorageFiles() {}

  /** A listing that went over its byte cap, or its file cap. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean tooManyFiles;

    TooLargeException(String message, boolean tooManyFiles) {
      super(message);
      this.tooManyFiles = tooManyFiles;
    }

    /** True when the file cap was hit, false for the byte cap. */
    public boolean tooManyFiles() {
      return tooManyFiles;
    }
  }

  /** A file under a listed root: its path relative to the root ({@code /}-separated) and size. */
  public record Entry(Path path, String relative, long size) {}

  /**
   * Every file under {@code root}, recursively, sorted by relative name; empty when {@code root}
   * does not exist. Stops with a {@link TooLargeException} as soon as the sizes add up to more than
   * {@code maxBytes}, before anything is read, so an oversized tree costs one listing only.
   */
  public static List<Entry> list(Path root, long maxBytes) throws IOException {
    return list(root, maxBytes, Integer.MAX_VALUE);
  }

  /** As {@link #list(Path, long)}, also refusing more than {@code maxFiles} files (a prefix of countless tiny objects). */
  public static List<Entry> list(Path root, long maxBytes, int maxFiles) throws IOException {
    FileSystem fs = FlinkFileSystems.of(root);
    List<Entry> out = new ArrayList<>();
    if (!fs.exists(root)) return out;
    String base = root.toUri().getPath().replaceAll("/+$", "");
    long[] total = {0};
    walk(fs, root, base, maxBytes, maxFiles, total, out);
    out.sort(Comparator.comparing(Entry::relative));
    return out;
  }

  private static void walk(FileSystem fs, Path dir, String base, long maxBytes, int maxFiles, long[] total, List<Entry> out) throws IOException {
    FileStatus[] statuses = fs.listStatus(dir);
    if (statuses == null) return;
    for (FileStatus s : statuses) {
      if (s.isDir()) {
        walk(fs, s.getPath(), base, maxBytes, maxFiles, total, out);
        continue;
      }
      total[0] += s.getLen();
      if (total[0] > maxBytes) {
        throw new TooLargeException("more than " + maxBytes + " bytes under " + base + " (stopped listing at " + s.getPath() + ")", false);
      }
      if (out.size() >= maxFiles) throw new TooLargeException("more than " + maxFiles + " files under " + base, true);
      String path = s.getPath().toUri().getPath();
      if (!path.startsWith(base + "/")) throw new IOException("listed " + s.getPath() + ", which is not under " + base);
      out.add(new Entry(s.getPath(), path.substring(base.length() + 1), s.getLen()));
    }
  }

  /**
   * Copies the listed files into {@code localDir} (created), refusing a name that would land
   * outside it; a file that grew since the listing is refused, so the listed sizes stay the cap.
   */
  public static void download(List<Entry> entries, java.nio.file.Path localDir) throws IOException {
    java.nio.file.Path dir = localDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    for (Entry e : entries) {
      java.nio.file.Path target = dir.resolve(e.relative()).normalize();
      if (!target.startsWith(dir) || target.equals(dir)) throw new IOException("the name " + e.relative() + " leaves the download directory");
      Files.createDirectories(target.getParent());
      try (InputStream in = FlinkFileSystems.of(e.path()).open(e.path()); OutputStream out = Files.newOutputStream(target)) {
        byte[] buf = new byte[1 << 16];
        long copied = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          copied += n;
          if (copied > e.size()) throw new IOException(e.path() + " is larger than when it was listed (" + e.size() + " bytes)");
          out.write(buf, 0, n);
        }
      }
    }
  }

  /**
   * Uploads the regular files under {@code localDir} to {@code remoteDir}, overwriting, in name
   * order except {@code last} (a manifest, say), which goes after all others, so that a reader that
   * finds it finds the rest too.
   */
  public static void upload(java.nio.file.Path localDir, Path remoteDir, String last) throws IOException {
    FileSystem fs = FlinkFileSystems.of(remoteDir);
    List<java.nio.file.Path> files;
    try (Stream<java.nio.file.Path> walk = Files.walk(localDir)) {
      files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
    }
    if (last != null) {
      java.nio.file.Path lastFile = localDir.resolve(last);
      if (files.remove(lastFile)) files.add(lastFile);
    }
    for (java.nio.file.Path f : files) {
      String rel = localDir.relativize(f).toString().replace('\\', '/');
      try (OutputStream out = fs.create(new Path(remoteDir, rel), WriteMode.OVERWRITE)) {
        Files.copy(f, out);
      }
    }
  }

  /** Uploads one local file to {@code remote}, overwriting (one PUT on S3: readers see the old or the new object). */
  public static void uploadFile(java.nio.file.Path local, Path remote) throws IOException {
    try (OutputStream out = FlinkFileSystems.of(remote).create(remote, WriteMode.OVERWRITE)) {
      Files.copy(local, out);
    }
  }

  /** Downloads one file, atomically replacing {@code local}; false when {@code remote} does not exist. */
  public static boolean downloadFile(Path remote, java.nio.file.Path local) throws IOException {
    FileSystem fs = FlinkFileSystems.of(remote);
    if (!fs.exists(remote)) return false;
    Files.createDirectories(local.toAbsolutePath().getParent());
    java.nio.file.Path tmp = Files.createTempFile(local.toAbsolutePath().getParent(), ".download-", ".tmp");
    try (InputStream in = fs.open(remote)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return true;
  }

  /** Deletes a local directory tree (the loader's temporary copies); quiet when it is gone. */
  public static void deleteLocal(java.nio.file.Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
      for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover temp copy is only disk space; the load's outcome does not depend on it.
    }
  }
}
