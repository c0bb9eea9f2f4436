package org.lmrec.retrainjob.prep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/** The command-line preparation job (what the retrain-prep job jar runs) on a MiniCluster over real archive files. */
class ArchiveDataPrepMainTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir static Path archive;
  @TempDir Path out;

  @BeforeAll
  static void writeArchive() throws IOException {
    write("date=2024-03-10/interactions-a-0.avro",
        ev("e1", "u2", "x1", "2024-03-10T10:00:00Z"), ev("e2", "u1", "i1", "2024-03-10T10:00:00Z"),
        ev("e3", "u1", "i2", "2024-03-10T10:05:00Z"), ev("e9", "u1", "late", "2024-03-12T10:00:00Z"));
    write("date=2024-03-11/interactions-a-0.avro", ev("e3", "u1", "i2", "2024-03-10T10:05:00Z"), ev("e4", "u2", "x2", "2024-03-11T10:00:00Z"));
  }

  @Test
  void writesOneJsonLinePerUserSortedByUser() throws Exception {
    Path file = out.resolve("sub/histories.jsonl");
    int code = ArchiveDataPrepMain.run("--archive", archive.toUri().toString(), "--output", file.toString(),
        "--window", "2d", "--end", "2024-03-12T00:00:00Z", "-Dparallelism.default=2");

    assertThat(code).isZero();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> users = new ArrayList<>();
    for (String l : lines) users.add(json.readTree(l));
    assertThat(users.get(0).get("userId").asText()).isEqualTo("u1");
    assertThat(users.get(0).get("items").toString()).isEqualTo("[\"i1\",\"i2\"]");
    assertThat(users.get(0).get("eventTimesMillis").get(1).asLong()).isEqualTo(Instant.parse("2024-03-10T10:05:00Z").toEpochMilli());
    assertThat(users.get(1).get("userId").asText()).isEqualTo("u2");
    assertThat(users.get(1).get("items").toString()).isEqualTo("[\"x1\",\"x2\"]");
    assertThat(out.resolve("sub")).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void refusesBadArgumentsWithUsageErrorAndWritesNothing() {
    Path file = out.resolve("h.jsonl");
    assertThat(ArchiveDataPrepMain.run("--archive", archive.toUri().toString(), "--output", file.toString(), "--window", "0s")).isEqualTo(2);
    assertThat(ArchiveDataPrepMain.run("--archive", archive.toUri().toString(), "--output", file.toString(), "--max-length", "-1")).isEqualTo(2);
    assertThat(ArchiveDataPrepMain.run("--archive", archive.toUri().toString(), "--output", file.toString(), "--window", "soon")).isEqualTo(2);
    assertThat(ArchiveDataPrepMain.run("--output", file.toString())).isEqualTo(2);
    assertThat(file).doesNotExist();
  }

  private static InteractionEvent ev(String id, String user, String item, String time) {
    return InteractionEvent.newBuilder()
        .setEventId(id).setUserId(user).setItemId(item).setEventType(EventType.CLICK).setEventTime(Instant.parse(time)).build();
  }

  private static void write(String relative, InteractionEvent... events) throws IOException {
    Path file = archive.resolve(relative);
    Files.createDirectories(file.getParent());
    try (DataFileWriter<InteractionEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class))) {
      writer.create(InteractionEvent.getClassSchema(), file.toFile());
      for (InteractionEvent e : events) writer.append(e);
    }
  }

  @Test
  void unsetOptionsTakePrepOptionsDefaultsAndSetOnesOverrideThem() {
    ArchiveDataPrepMain unset = new ArchiveDataPrepMain();
    new picocli.CommandLine(unset).parseArgs("--archive", "file:///a", "--output", "-");
    assertThat(unset.prepOptions()).isEqualTo(PrepOptions.defaults());

    ArchiveDataPrepMain set = new ArchiveDataPrepMain();
    new picocli.CommandLine(set).parseArgs("--archive", "file:///a", "--output", "-", "--no-collapse", "--session-gap", "10m",
        "--min-length", "3", "--max-length", "50");
    assertThat(set.prepOptions()).isEqualTo(new PrepOptions(java.time.Duration.ofMinutes(10), false, 3, 50));
  }
}
