package org.lmrec.retrainjob.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.lmrec.artifact.ArtifactLayout;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.ModelRegistry;
import org.lmrec.flink.storage.FlinkFileSystems;
import org.lmrec.flink.storage.StorageFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifact store on an object store ({@code --artifacts s3://BUCKET/PREFIX}), worked on through
 * a local cache ({@code --artifacts-cache DIR}) where the {@link ModelRegistry} does what it does on
 * a local store. Before a run, {@link #pull()} copies down {@code SERVING.json} and every version
 * (published and refused) the cache lacks. A published version is uploaded, manifest last, before
 * its announcement goes out, and the announcement points at its {@code s3://} copy, so a scorer
 * never hears of a version it cannot read. After the run, {@link #push()} uploads {@code
 * SERVING.json} and refused versions, and deletes the remote copies of versions the retention
 * deleted from the cache. Two retrainings must not share one remote store at once: the retraining
 * lock is local to the cache.
 */
public final class RemoteArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteArtifactStore.class);

  private final org.apache.flink.core.fs.Path remote;
  private final Path cache;

  public RemoteArtifactStore(String remoteUri, Path cache) {
    this.remote = new org.apache.flink.core.fs.Path(remoteUri.replaceAll("/+$", ""));
    this.cache = cache.toAbsolutePath().normalize();
  }

  public Path cache() {
    return cache;
  }

  /** The URI of a version's directory on the store ({@code refused} ones are under {@code refused/}). */
  public String uriOf(ModelArtifact a) {
    return new org.apache.flink.core.fs.Path(remote, relative(a.dir())).toString();
  }

  /** Copies {@code SERVING.json} and the versions the cache lacks down from the store. */
  public void pull() throws IOException {
    Files.createDirectories(cache);
    StorageFiles.downloadFile(new org.apache.flink.core.fs.Path(remote, ModelRegistry.SERVING_FILE), cache.resolve(ModelRegistry.SERVING_FILE));
    int pulled = 0;
    for (String version : remoteVersions()) {
      Path local = cache.resolve(version);
      if (Files.isRegularFile(local.resolve(ArtifactLayout.MANIFEST))) continue;
      List<StorageFiles.Entry> files = StorageFiles.list(new org.apache.flink.core.fs.Path(remote, version), Long.MAX_VALUE);
      if (files.stream().noneMatch(e -> e.relative().equals(ArtifactLayout.MANIFEST))) continue; // an upload in progress or torn: not a version
      Path tmp = Files.createTempDirectory(cache, ".pull-");
      try {
        StorageFiles.download(files, tmp);
        Files.createDirectories(local.getParent());
        Files.move(tmp, local, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        StorageFiles.deleteLocal(tmp);
      }
      pulled++;
    }
    LOG.info("artifact store {}: {} version(s) pulled into the cache {}", remote, pulled, cache);
  }

  /** Uploads one version, manifest last. */
  public void upload(ModelArtifact a) throws IOException {
    StorageFiles.upload(a.dir(), new org.apache.flink.core.fs.Path(uriOf(a)), ArtifactLayout.MANIFEST);
  }

  /**
   * After a run: uploads refused versions the store lacks and {@code SERVING.json}, and deletes on
   * the store the versions the cache no longer holds (deleted by the retention).
   */
  public void push() throws IOException {
    Set<String> local = localVersions();
    Set<String> onStore = remoteVersions();
    for (String v : local) {
      if (!onStore.contains(v)) {
        StorageFiles.upload(cache.resolve(v), new org.apache.flink.core.fs.Path(remote, v), ArtifactLayout.MANIFEST);
      }
    }
    Path serving = cache.resolve(ModelRegistry.SERVING_FILE);
    if (Files.isRegularFile(serving)) StorageFiles.uploadFile(serving, new org.apache.flink.core.fs.Path(remote, ModelRegistry.SERVING_FILE));
    FileSystem fs = FlinkFileSystems.of(remote);
    for (String v : onStore) {
      if (!local.contains(v)) {
        fs.delete(new org.apache.flink.core.fs.Path(remote, v), true);
        LOG.info("retention: deleted {}/{} on the store", remote, v);
      }
    }
  }

  /** Version directories on the store, relative ({@code v}, {@code refused/v}). */
  Set<String> remoteVersions() throws IOException {
    Set<String> out = new TreeSet<>();
    FileSystem fs = FlinkFileSystems.of(remote);
    if (!fs.exists(remote)) return out;
    for (FileStatus s : list(fs, remote)) {
      String name = s.getPath().getName();
      if (!s.isDir() || name.startsWith(".")) continue;
      if (name.equals(ModelRegistry.REFUSED_DIR)) {
        for (FileStatus r : list(fs, s.getPath())) {
          if (r.isDir() && !r.getPath().getName().startsWith(".")) out.add(ModelRegistry.REFUSED_DIR + "/" + r.getPath().getName());
        }
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private static List<FileStatus> list(FileSystem fs, org.apache.flink.core.fs.Path dir) throws IOException {
    FileStatus[] s = fs.listStatus(dir);
    return s == null ? List.of() : List.of(s);
  }

  /** Complete version directories in the cache (those with a manifest), relative. */
  Set<String> localVersions() throws IOException {
    Set<String> out = new TreeSet<>();
    for (Path dir : List.of(cache, cache.resolve(ModelRegistry.REFUSED_DIR))) {
      if (!Files.isDirectory(dir)) continue;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path v : (Iterable<Path>) s::iterator) {
          String name = v.getFileName().toString();
          if (!name.startsWith(".") && Files.isRegularFile(v.resolve(ArtifactLayout.MANIFEST))) out.add(relative(v));
        }
      }
    }
    return out;
  }

  private String relative(Path versionDir) {
    Path rel = cache.relativize(versionDir.toAbsolutePath().normalize());
    List<String> parts = new ArrayList<>();
    rel.forEach(p -> parts.add(p.toString()));
    if (parts.isEmpty() || parts.contains("..")) throw new IllegalArgumentException(versionDir + " is not in the cache " + cache);
    return String.join("/", parts);
  }
}
