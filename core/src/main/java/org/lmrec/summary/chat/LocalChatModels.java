package org.lmrec.summary.chat;

import java.io.IOException;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the {@link LocalChatModelProvider} for a checkpoint format on the classpath. */
public final class LocalChatModels {
  private LocalChatModels() {}

  /** Whether a provider for {@code format} is on the classpath. */
  public static boolean available(String format) {
    return find(format) != null;
  }

  /** Opens {@code options.model()} with the provider for {@code format}; refuses with the fix when none is on the classpath. */
  public static LocalChatModel open(String format, LocalChatOptions options) throws IOException {
    LocalChatModelProvider provider = find(format);
    if (provider == null) throw new IllegalStateException(missing(format));
    return provider.open(options);
  }

  /** The message for a missing provider: which jar to add. */
  public static String missing(String format) {
    return "no " + format + " backend on the classpath: add the lmrec-summary-" + format
        + " jar and its dependencies (see summary-" + format + "/README.md) to the JVM's classpath (on a Flink cluster: lib/)";
  }

  private static LocalChatModelProvider find(String format) {
    try {
      for (LocalChatModelProvider p : ServiceLoader.load(LocalChatModelProvider.class, LocalChatModels.class.getClassLoader())) {
        if (p.format().equalsIgnoreCase(format)) return p;
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      // e.g. the module's jar in Flink's lib/, where it cannot see core's interface: treated as absent, the message says where it goes
      return null;
    }
    return null;
  }
}
