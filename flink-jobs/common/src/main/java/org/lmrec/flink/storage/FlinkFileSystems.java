package org.lmrec.flink.storage;

import java.io.IOException;
import java.net.URI;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Sets up Flink's {@link FileSystem} in a JVM that is not a Flink cluster process (the local
 * MiniCluster, the retraining and replay command lines, the tests): the file systems of the plugin
 * directory ({@code $FLINK_PLUGINS_DIR}, where the build puts {@code flink-s3-fs-hadoop}) and the
 * {@code s3.*} settings of {@code config}. A cluster's JobManager and TaskManagers do this
 * themselves from their own plugin directory and config.yaml. See docs/storage.md.
 */
public final class FlinkFileSystems {
  private FlinkFileSystems() {}

  /** Initializes Flink's file systems with {@code config} and the plugins under {@code $FLINK_PLUGINS_DIR}. */
  public static synchronized void initialize(Configuration config) {
    PluginManager plugins = PluginUtils.createPluginManagerFromRootFolder(config);
    FileSystem.initialize(config, plugins);
  }

  /**
   * The Flink settings of this process's {@code $FLINK_CONF_DIR/config.yaml} (what {@code bin/flink}
   * points to), or none when the variable is unset or the file missing.
   */
  public static Configuration clientConfiguration() {
    String dir = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
    if (dir == null || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(dir, GlobalConfiguration.FLINK_CONF_FILENAME))) {
      return new Configuration();
    }
    return GlobalConfiguration.loadConfiguration(dir);
  }

  /**
   * The file system of {@code uri}, with a refusal that says what to do when its scheme has no
   * file system (for {@code s3://}: the plugin is missing, or {@link #initialize} was not called).
   */
  public static FileSystem of(String uri) throws IOException {
    return of(new Path(uri));
  }

  public static FileSystem of(Path path) throws IOException {
    try {
      return path.getFileSystem();
    } catch (UnsupportedFileSystemSchemeException e) {
      throw new IOException(missingFileSystem(path.toUri()), e);
    }
  }

  static String missingFileSystem(URI uri) {
    String scheme = uri.getScheme();
    String dir = System.getenv(ConfigConstants.ENV_FLINK_PLUGINS_DIR);
    if ("s3".equals(scheme) || "s3a".equals(scheme)) {
      return "no file system for " + scheme + "://: the S3 plugin is not loaded. Put flink-s3-fs-hadoop-*.jar in "
          + (dir == null ? "$FLINK_PLUGINS_DIR (not set)" : dir) + "/s3-fs-hadoop/ (the build copies it to target/plugins/, "
          + "bin/launch sets FLINK_PLUGINS_DIR) and set s3.endpoint / s3.access-key / s3.secret-key; see docs/storage.md";
    }
    return "no file system for the scheme '" + scheme + "' of " + uri + " (file:// and s3:// are supported; see docs/storage.md)";
  }
}
