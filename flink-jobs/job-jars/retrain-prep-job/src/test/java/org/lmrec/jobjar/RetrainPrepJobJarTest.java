package org.lmrec.jobjar;

import org.lmrec.flink.jobjar.JobJars;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded retraining data-preparation jar: the BATCH preparation and the archive format, without training or the LM. */
class RetrainPrepJobJarTest {
  static final Path JAR = Path.of("target", "lmrec-retrain-prep-job.jar");

  @Test
  void carriesThePreparationButNotFlinkTrainingOrTheLm() throws IOException {
    assertThat(JAR).isRegularFile();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("org.lmrec.retrainjob.prep.ArchiveDataPrepMain");
      JobJars.assertHas(jar,
          "org/lmrec/retrainjob/prep/ArchiveDataPrepMain.class",
          "org/lmrec/retrainjob/prep/ArchiveDataPrep.class",
          "org/lmrec/retrain/UserHistory.class",
          "org/lmrec/flink/archive/InteractionArchiveFormat.class",
          "org/apache/avro/Schema.class",
          "com/fasterxml/jackson/databind/ObjectMapper.class");
      JobJars.assertHasNoFlinkRuntimeOrNativeTraining(jar);
      assertThat(jar.stream().filter(e -> e.getName().startsWith("org/lmrec/lm/"))).as("the LM module").isEmpty();
    }
    assertThat(Files.size(JAR)).as("jar size").isBetween(2L << 20, 60L << 20);
  }
}
