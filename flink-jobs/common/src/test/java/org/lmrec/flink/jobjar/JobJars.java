package org.lmrec.flink.jobjar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Checks shared by the job jar tests (flink-jobs/job-jars): what a jar for `flink run` must not carry. */
public final class JobJars {
  private JobJars() {}

  /** Classes a cluster provides (flink-dist) or that must never be in a job jar (native training libraries, logging). */
  public static final List<String> FORBIDDEN_PREFIXES = List.of(
      "org/apache/flink/runtime/",
      "org/apache/flink/streaming/api/environment/",
      "org/apache/flink/api/common/",
      "org/apache/flink/configuration/",
      "org/apache/flink/client/",
      "org/apache/flink/state/rocksdb/",
      "org/rocksdb/",
      "org/apache/flink/shaded/",
      "ai/djl/",
      "ai/onnxruntime/",
      "org/pytorch/",
      "pytorch/",
      "com/sun/jna/",
      "org/apache/logging/log4j/",
      "org/slf4j/");

  public static void assertHas(JarFile jar, String... entries) {
    for (String e : entries) assertThat(jar.getEntry(e)).as("entry " + e).isNotNull();
  }

  public static void assertHasNoFlinkRuntimeOrNativeTraining(JarFile jar) {
    List<String> forbidden = jar.stream().map(JarEntry::getName)
        .filter(n -> FORBIDDEN_PREFIXES.stream().anyMatch(n::startsWith) || n.endsWith("libtorch.so") || n.contains("onnxruntime"))
        .limit(20).toList();
    assertThat(forbidden).as("classes the cluster provides or native training libraries").isEmpty();
  }
}
