package org.lmrec.jobjar;

import org.lmrec.flink.jobjar.JobJars;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded streaming job jar (built in package, before this test): what a Flink 2.2 cluster
 * needs to run it with {@code flink run}, and nothing the cluster already has.
 */
class StreamingJobJarTest {
  static final Path JAR = Path.of("target", "lmrec-streaming-job.jar");

  @Test
  void carriesTheJobItsConnectorsAndAvroButNotFlinkItself() throws IOException {
    assertThat(JAR).isRegularFile();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("org.lmrec.stream.job.StreamingJobMain");
      JobJars.assertHas(jar,
          "org/lmrec/stream/job/StreamingJobMain.class",
          "org/lmrec/stream/job/StreamingJob.class",
          "org/lmrec/flink/archive/InteractionArchiveFormat.class",
          "org/lmrec/schema/InteractionEvent.class",
          "org/apache/flink/connector/kafka/source/KafkaSource.class",
          "org/apache/flink/connector/base/source/reader/SourceReaderBase.class",
          "org/apache/flink/formats/avro/AvroSerializationSchema.class",
          "org/apache/avro/Schema.class",
          "org/apache/kafka/clients/producer/KafkaProducer.class",
          "picocli/CommandLine.class");
      JobJars.assertHasNoFlinkRuntimeOrNativeTraining(jar);
      // Merged, not overwritten: the Kafka connector's factories must survive next to Avro's.
      String factories = new String(jar.getInputStream(jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory")).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(factories).contains("org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory")
          .contains("org.apache.flink.formats.avro.AvroFormatFactory");
    }
    assertThat(Files.size(JAR)).as("jar size").isBetween(5L << 20, 60L << 20);
  }
}
