package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedSchemasTest {
  @TempDir Path folder;

  @Test
  void noReleasedSchemaIsLeftInTestResources() throws IOException {
    // Released versions ship in the main jar, where decoders find them; one left under the test
    // resources would be checked by the tests but unknown to every decoder in production.
    Path testResources = Path.of("src/test/resources");
    List<Path> stray = List.of();
    if (Files.isDirectory(testResources)) {
      try (Stream<Path> files = Files.walk(testResources)) {
        stray = files.filter(p -> p.getFileName().toString().endsWith(".avsc")).toList();
      }
    }
    assertThat(stray).as("move them to src/main/resources/" + ReleasedSchemas.FOLDER).isEmpty();
  }

  @Test
  void everyFileInTheHistoryFolderIsAReleasedVersion() {
    List<Path> files = HistorySchemas.files();
    // Every version the convention found is backed by a file, except a current one not yet frozen.
    long frozen = ReleasedSchemas.get().types().stream()
        .flatMap(t -> ReleasedSchemas.get().versionsOf(t).stream())
        .filter(v -> Files.exists(HistorySchemas.folder().resolve(v.type() + "-v" + v.number() + ".avsc")))
        .count();
    // A gap (v3 without v2) or a misspelt name would leave a file the convention never reaches.
    assertThat(frozen).as("files in %s", HistorySchemas.folder()).isEqualTo(files.size());
    for (Path file : files) {
      String[] nameAndVersion = file.getFileName().toString().replace(".avsc", "").split("-v");
      ReleasedSchemas.Version version = ReleasedSchemas.get().versionsOf(nameAndVersion[0]).get(Integer.parseInt(nameAndVersion[1]) - 1);
      assertThat(version.fingerprint()).as(file.getFileName().toString()).isEqualTo(ReleasedSchemas.fingerprint(HistorySchemas.parse(file)));
    }
  }

  @Test
  void aNewFileInTheFolderReleasesAVersionWithoutCodeChanges() throws IOException {
    Schema current = InteractionEvent.getClassSchema();
    copy("InteractionEvent-v1.avsc");
    List<ReleasedSchemas.Version> before = ReleasedSchemas.load(List.of(current), openIn(folder)).versionsOf("InteractionEvent");
    assertThat(before).extracting(ReleasedSchemas.Version::number, ReleasedSchemas.Version::current)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, false), org.assertj.core.groups.Tuple.tuple(2, true));

    // Freezing today's schema as v2 changes nothing on the wire: the current schema is that version.
    Files.writeString(folder.resolve("InteractionEvent-v2.avsc"), current.toString(true));
    ReleasedSchemas frozen = ReleasedSchemas.load(List.of(current), openIn(folder));
    assertThat(frozen.versionsOf("InteractionEvent")).hasSize(2).last().satisfies(v -> {
      assertThat(v.current()).isTrue();
      assertThat(v.fingerprint()).isEqualTo(before.get(1).fingerprint());
    });

    // A schema that differs from the current one, released as v2: the current one becomes v3.
    Schema other = new Schema.Parser().parse(current.toString().replace("\"ADD_TO_CART\",", ""));
    Files.writeString(folder.resolve("InteractionEvent-v2.avsc"), other.toString(true));
    ReleasedSchemas three = ReleasedSchemas.load(List.of(current), openIn(folder));
    assertThat(three.versionsOf("InteractionEvent")).extracting(ReleasedSchemas.Version::number).containsExactly(1, 2, 3);
    assertThat(three.byFingerprint(ReleasedSchemas.fingerprint(other))).get().extracting(ReleasedSchemas.Version::label).isEqualTo("InteractionEvent v2");
  }

  @Test
  void aFileHoldingAnotherRecordIsRefused() throws IOException {
    Files.writeString(folder.resolve("InteractionEvent-v1.avsc"), ModelUpdate.getClassSchema().toString());

    assertThatThrownBy(() -> ReleasedSchemas.load(List.of(InteractionEvent.getClassSchema()), openIn(folder)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("InteractionEvent-v1.avsc holds org.lmrec.schema.ModelUpdate");
  }

  @Test
  void aCurrentSchemaEqualToAFrozenOneIsThatVersion() {
    // DeadLetter has not changed since v1.
    assertThat(ReleasedSchemas.get().versionsOf("DeadLetter")).singleElement().satisfies(v -> {
      assertThat(v.number()).isEqualTo(1);
      assertThat(v.current()).isTrue();
    });
  }

  private void copy(String name) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(ReleasedSchemas.FOLDER + name)) {
      Files.write(folder.resolve(name), in.readAllBytes());
    }
  }

  private static Function<String, InputStream> openIn(Path dir) {
    return name -> {
      try {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Files.newInputStream(file) : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
