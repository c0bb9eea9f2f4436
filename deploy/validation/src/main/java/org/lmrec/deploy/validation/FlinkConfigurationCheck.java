package org.lmrec.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;

/**
 * The keys and values of a FlinkDeployment's {@code flinkConfiguration}, which the CRD types only as
 * a map of strings: every key must be an option of Flink 2.2.1 (each public {@code ConfigOption} of
 * the {@code org.apache.flink.configuration.*Options} classes of {@code flink-core}, with their
 * fallback keys), or one of the families that plugins define, and every value must parse as that
 * option's type (a duration, an enum constant, a number...). A misspelt key would otherwise be
 * ignored by Flink without a word.
 */
public final class FlinkConfigurationCheck {
  /**
   * Key families defined outside flink-core: a metric reporter's own settings, and the S3 file
   * system plugin's {@code s3.*} (forwarded to Hadoop's {@code fs.s3a.*}).
   */
  static final List<Pattern> PLUGIN_KEYS = List.of(
      Pattern.compile("metrics\\.reporter\\.[A-Za-z0-9_-]+\\.(factory\\.class|port|interval|scope\\.variables\\.excludes|filter\\.(includes|excludes)|[a-z.-]+)"),
      Pattern.compile("s3\\.[a-z.-]+"));

  private static final Map<String, ConfigOption<?>> OPTIONS = load();

  private FlinkConfigurationCheck() {}

  /** Every unknown key and unparsable value of {@code config} (a mapping of strings), with its path. */
  public static List<String> check(JsonNode config, String path) {
    List<String> errors = new ArrayList<>();
    if (!config.isObject()) return errors; // the CRD check reports the type
    config.fields().forEachRemaining(e -> {
      String key = e.getKey();
      String at = path + "." + key;
      ConfigOption<?> option = OPTIONS.get(key);
      if (option == null) {
        if (PLUGIN_KEYS.stream().noneMatch(p -> p.matcher(key).matches())) {
          errors.add(at + ": not a Flink 2.2 option (no ConfigOption of flink-core has this key)");
        }
        return;
      }
      if (!e.getValue().isTextual()) return; // the CRD check reports it
      Configuration c = new Configuration();
      c.setString(key, e.getValue().asText());
      try {
        c.get(option);
      } catch (RuntimeException bad) {
        errors.add(at + ": '" + e.getValue().asText() + "' is not a valid value: " + bad.getMessage());
      }
    });
    return errors;
  }

  /** Number of keys known (for the tests: the scan found the option classes). */
  static int knownKeys() {
    return OPTIONS.size();
  }

  private static Map<String, ConfigOption<?>> load() {
    Map<String, ConfigOption<?>> options = new TreeMap<>();
    try (JarFile jar = new JarFile(Path.of(CoreOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
      Pattern holder = Pattern.compile("org/apache/flink/configuration/[A-Za-z]+Options\\.class");
      for (JarEntry entry : Collections.list((Enumeration<JarEntry>) jar.entries())) {
        if (!holder.matcher(entry.getName()).matches()) continue;
        Class<?> type = Class.forName(entry.getName().replace('/', '.').replace(".class", ""));
        for (Field f : type.getFields()) {
          if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) continue;
          ConfigOption<?> option = (ConfigOption<?>) f.get(null);
          options.putIfAbsent(option.key(), option);
          for (FallbackKey fallback : option.fallbackKeys()) options.putIfAbsent(fallback.getKey(), option);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException | URISyntaxException e) {
      throw new IllegalStateException("cannot read Flink's options from flink-core", e);
    }
    return options;
  }
}
